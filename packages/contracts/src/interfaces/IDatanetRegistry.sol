// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IDatanetRegistry
/// @notice Community datanets: contributors stake OPEN, anchor batches of records by Merkle root,
/// curators accept or reject them, and rejection as malicious slashes the contributor's stake.
interface IDatanetRegistry {
    enum ContributionStatus {
        None,
        Pending,
        Accepted,
        Rejected,
        Revoked
    }

    struct Datanet {
        address owner;
        uint96 minStake;
        uint64 createdAt;
        uint64 contributionCount;
        uint128 totalStaked;
        string name;
        string metadataURI;
    }

    struct Contribution {
        uint256 datanetId;
        address contributor;
        uint32 recordCount;
        ContributionStatus status;
        uint64 submittedAt;
        uint96 weight;
        bytes32 batchRoot;
    }

    struct StakeInfo {
        uint128 amount; // active stake, slashable, counts towards the minimum
        uint128 pendingUnstake; // requested, still slashable until withdrawn
        uint64 unlockAt; // when pendingUnstake can be withdrawn
    }

    /// @notice Thrown when a datanet id does not exist.
    error DatanetUnknown(uint256 datanetId);
    /// @notice Thrown when a contribution id does not exist.
    error DatanetUnknownContribution(uint256 contributionId);
    /// @notice Thrown when the caller is not the datanet's owner (or governance where allowed).
    error DatanetNotOwner(uint256 datanetId, address account);
    /// @notice Thrown when the caller is not a curator of the datanet.
    error DatanetNotCurator(uint256 datanetId, address account);
    /// @notice Thrown when a contributor's active stake is below the datanet minimum.
    error DatanetInsufficientStake(uint256 datanetId, address account, uint256 stake, uint256 minStake);
    /// @notice Thrown on a zero amount, an empty name or an empty batch.
    error DatanetInvalidInput();
    /// @notice Thrown when more is unstaked than is staked.
    error DatanetUnstakeTooLarge(uint256 requested, uint256 staked);
    /// @notice Thrown when withdrawing before the unstake cooldown has passed, or with nothing pending.
    error DatanetCooldownActive(uint64 unlockAt);
    /// @notice Thrown when a contribution is not in the status the action needs.
    error DatanetInvalidStatus(uint256 contributionId, ContributionStatus status);
    /// @notice Thrown when a relayed submission's signature has expired.
    error DatanetSignatureExpired(uint256 deadline);
    /// @notice Thrown when a relayed submission's signature does not recover to the contributor.
    error DatanetInvalidSignature(address contributor);
    /// @notice Thrown when a governance parameter is out of its bounds.
    error DatanetInvalidParameter(bytes32 name, uint256 value);
    /// @notice Thrown when a curator reviews their own contribution.
    error DatanetSelfReview(uint256 contributionId);

    event DatanetCreated(uint256 indexed datanetId, address indexed owner, string name, string metadataURI, uint256 minStake);
    event DatanetUpdated(uint256 indexed datanetId, string metadataURI, uint256 minStake);
    event CuratorSet(uint256 indexed datanetId, address indexed curator, bool enabled);
    event Staked(uint256 indexed datanetId, address indexed account, uint256 amount, uint256 newStake);
    event UnstakeRequested(uint256 indexed datanetId, address indexed account, uint256 amount, uint64 unlockAt);
    event Withdrawn(uint256 indexed datanetId, address indexed account, uint256 amount);
    event ContributionSubmitted(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 batchRoot,
        uint32 recordCount,
        string uri
    );
    event ContributionAccepted(uint256 indexed contributionId, uint256 indexed datanetId, address indexed curator, uint96 weight);
    event ContributionRejected(
        uint256 indexed contributionId, uint256 indexed datanetId, address indexed curator, bool malicious, string reason
    );
    /// @notice A previously accepted contribution was revoked (it stops earning from then on).
    event ContributionRevoked(uint256 indexed contributionId, uint256 indexed datanetId, address indexed by, string reason);
    event Slashed(uint256 indexed datanetId, address indexed account, uint256 amount, address indexed recipient);
    event SlashParametersSet(uint16 slashShareBps, bool slashToCurator, address treasury);
    event UnstakeCooldownSet(uint64 cooldown);

    /// @notice Creates a datanet owned by the caller. Emits {DatanetCreated} and one {CuratorSet} per curator.
    function createDatanet(string calldata name, string calldata metadataURI, uint96 minStake, address[] calldata curators)
        external
        returns (uint256 datanetId);

    /// @notice Owner or governance updates metadata and minimum stake. Emits {DatanetUpdated}.
    function updateDatanet(uint256 datanetId, string calldata metadataURI, uint96 minStake) external;

    /// @notice Owner or governance adds or removes a curator. Emits {CuratorSet}.
    function setCurator(uint256 datanetId, address curator, bool enabled) external;

    /// @notice Stakes `amount` OPEN (pulled with transferFrom) to the datanet. Emits {Staked}.
    function stake(uint256 datanetId, uint256 amount) external;

    /// @notice Same as {stake} with an ERC-2612 permit.
    function stakeWithPermit(uint256 datanetId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Moves `amount` from active stake to pending; withdrawable after the cooldown. Emits {UnstakeRequested}.
    function requestUnstake(uint256 datanetId, uint256 amount) external;

    /// @notice Withdraws the pending unstake once the cooldown has passed. Emits {Withdrawn}.
    function withdraw(uint256 datanetId) external;

    /// @notice Anchors a batch of records by its Merkle root. Needs the datanet's minimum stake.
    /// Emits {ContributionSubmitted}.
    function submitContribution(uint256 datanetId, bytes32 batchRoot, uint32 recordCount, string calldata uri)
        external
        returns (uint256 contributionId);

    /// @notice Relayed {submitContribution}: anyone submits with the contributor's EIP-712 signature over
    /// `Contribute(uint256 datanetId,bytes32 batchRoot,uint32 recordCount,string uri,address contributor,uint256 nonce,uint256 deadline)`.
    function submitContributionFor(
        uint256 datanetId,
        bytes32 batchRoot,
        uint32 recordCount,
        string calldata uri,
        address contributor,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 contributionId);

    /// @notice A curator accepts a pending contribution with a weight. Emits {ContributionAccepted}.
    function acceptContribution(uint256 contributionId, uint96 weight) external;

    /// @notice A curator rejects a pending contribution; `malicious` slashes the contributor.
    /// Emits {ContributionRejected} and, when slashing, {Slashed}.
    function rejectContribution(uint256 contributionId, bool malicious, string calldata reason) external;

    /// @notice A curator or governance revokes an accepted contribution found to be bad; `malicious` slashes.
    /// Emits {ContributionRevoked} and, when slashing, {Slashed}.
    function revokeContribution(uint256 contributionId, bool malicious, string calldata reason) external;

    /// @notice Governance slashes `amount` of any staker (curators included). Emits {Slashed}.
    function slash(uint256 datanetId, address account, uint256 amount, address recipient) external;

    function datanet(uint256 datanetId) external view returns (Datanet memory);
    function datanetCount() external view returns (uint256);
    function contribution(uint256 contributionId) external view returns (Contribution memory);
    function contributionCount() external view returns (uint256);
    function stakeOf(uint256 datanetId, address account) external view returns (StakeInfo memory);
    function isCurator(uint256 datanetId, address account) external view returns (bool);
    function nonces(address contributor) external view returns (uint256);
    /// @notice Pages through datanets. Ids start at 1, so this returns ids [offset+1, offset+limit],
    /// clipped to {datanetCount}.
    function datanets(uint256 offset, uint256 limit) external view returns (Datanet[] memory);
    /// @notice Pages through a datanet's contribution ids.
    function contributionsOf(uint256 datanetId, uint256 offset, uint256 limit) external view returns (uint256[] memory);

    /// @notice Governance sets the malicious-rejection slash share (at most 50%), whether it goes to the
    /// rejecting curator (else the treasury) and the treasury. Emits {SlashParametersSet}.
    function setSlashParameters(uint16 slashShareBps, bool slashToCurator, address treasury) external;
    /// @notice Governance sets the unstake cooldown (bounded). Emits {UnstakeCooldownSet}.
    function setUnstakeCooldown(uint64 cooldown) external;

    /// @notice The EIP-712 digest a contributor signs for {submitContributionFor}.
    function hashContribution(
        uint256 datanetId,
        bytes32 batchRoot,
        uint32 recordCount,
        string calldata uri,
        address contributor,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);
    function stakingToken() external view returns (address);
    function slashShareBps() external view returns (uint16);
    function slashToCurator() external view returns (bool);
    function treasury() external view returns (address);
    function unstakeCooldown() external view returns (uint64);
}
