// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAttributionSettlement
/// @notice Per-epoch Merkle roots of cumulative contributor rewards. Leaves use the OpenZeppelin
/// StandardMerkleTree encoding of `(address account, uint256 cumulativeAmount)`:
/// `keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`.
interface IAttributionSettlement {
    struct EpochRoot {
        bytes32 root;
        uint128 total; // sum of cumulative amounts in the tree
        uint64 claimableAt;
        bool revoked;
    }

    error SettlementInvalidRoot(bytes32 root);
    error SettlementEpochNotNext(uint64 epoch, uint64 expected);
    error SettlementUnderfunded(uint256 total, uint256 funded);
    error SettlementNoClaimableRoot();
    error SettlementInvalidProof(address account, uint256 cumulativeAmount);
    error SettlementNothingToClaim(address account);
    error SettlementNotRevocable(uint64 epoch);
    error SettlementInvalidParameter(bytes32 name);
    error SettlementLengthMismatch();

    event Funded(uint64 indexed epoch, address indexed from, uint256 amount, uint256 totalFunded);
    event RootPosted(uint64 indexed epoch, bytes32 root, uint256 total, uint64 claimableAt, string dataURI);
    event RootRevoked(uint64 indexed epoch, bytes32 root);
    event Claimed(address indexed account, uint64 indexed epoch, uint256 amount, uint256 cumulativeClaimed);
    event ChallengeWindowSet(uint64 window);

    /// @notice Governance sets the challenge window (bounded by the implementation). Emits {ChallengeWindowSet}.
    function setChallengeWindow(uint64 window) external;

    /// @notice Adds `amount` OPEN (transferFrom the caller) to the rewards of `epoch`. Emits {Funded}.
    function fund(uint64 epoch, uint256 amount) external;

    /// @notice SETTLER_ROLE posts the root of cumulative rewards after `epoch`. `total` must not exceed
    /// what was funded up to now. Emits {RootPosted}.
    function postRoot(uint64 epoch, bytes32 root, uint256 total, string calldata dataURI) external;

    /// @notice Governance or GUARDIAN_ROLE revokes a root still inside its challenge window. Emits {RootRevoked}.
    function revokeRoot(uint64 epoch) external;

    /// @notice Pays `account` the difference between `cumulativeAmount` and what it already claimed, against
    /// the newest claimable root. Anyone may call it for anyone; the tokens go to `account`. Emits {Claimed}.
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof) external returns (uint256 paid);

    function claimMany(address[] calldata accounts, uint256[] calldata cumulativeAmounts, bytes32[][] calldata proofs)
        external
        returns (uint256 paid);

    function epochRoot(uint64 epoch) external view returns (EpochRoot memory);
    /// @notice The newest epoch whose root is past its challenge window and not revoked (0 if none), as
    /// claims use it: while the newest posted root is still in its window, this is the newest epoch that
    /// was claimable when that root was posted.
    function claimableEpoch() external view returns (uint64);
    function lastPostedEpoch() external view returns (uint64);
    function claimed(address account) external view returns (uint256);
    function totalFunded() external view returns (uint256);
    function totalClaimed() external view returns (uint256);
    function challengeWindow() external view returns (uint64);
    /// @notice What was funded for `epoch` through {fund} (bookkeeping; claims draw on the whole pool).
    function fundedOf(uint64 epoch) external view returns (uint256);
    /// @notice The OPEN token paid out.
    function token() external view returns (address);
}
