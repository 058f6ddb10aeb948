// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAttributionSettlement
/// @notice Per-epoch Merkle roots of cumulative contributor rewards. Leaves use the OpenZeppelin
/// StandardMerkleTree encoding of `(address account, uint256 cumulativeAmount)`:
/// `keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`.
/// @dev Roots are cumulative and only grow: a claim may be made against any root that is past its
/// challenge window and not revoked, and pays the difference to what the account already claimed.
interface IAttributionSettlement {
    /// @notice A posted root as stored: the first epoch it was posted for, the sum of the cumulative
    /// amounts in its tree, when its challenge window ends and whether it was revoked.
    struct RootInfo {
        uint64 epoch;
        uint128 total;
        uint64 claimableAt;
        bool revoked;
    }

    error SettlementInvalidRoot(bytes32 root);
    error SettlementEpochNotNext(uint64 epoch, uint64 expected);
    error SettlementUnderfunded(uint256 total, uint256 funded);
    error SettlementRootPending(bytes32 root, uint64 claimableAt);
    error SettlementRootRevoked(bytes32 root);
    error SettlementInvalidProof(address account, uint256 cumulativeAmount);
    error SettlementNothingToClaim(address account);
    error SettlementNotRevocable(bytes32 root);
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

    /// @notice SETTLER_ROLE posts the root of cumulative rewards after `epoch` (the last posted epoch + 1).
    /// `total` must not exceed what was funded up to now. A root already posted for an earlier epoch keeps
    /// its challenge window; a revoked root cannot be posted again. Emits {RootPosted}.
    function postRoot(uint64 epoch, bytes32 root, uint256 total, string calldata dataURI) external;

    /// @notice Governance or GUARDIAN_ROLE revokes a root still inside its challenge window (with every epoch
    /// it was posted for). Emits {RootRevoked}.
    function revokeRoot(bytes32 root) external;

    /// @notice Pays `account` the difference between `cumulativeAmount` and what it already claimed, against
    /// the claimable root the proof leads to. Anyone may call it for anyone; the tokens go to `account`.
    /// Emits {Claimed}.
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof) external returns (uint256 paid);

    function claimMany(address[] calldata accounts, uint256[] calldata cumulativeAmounts, bytes32[][] calldata proofs)
        external
        returns (uint256 paid);

    /// @notice What is stored for `root` (all zero if it was never posted).
    function rootInfo(bytes32 root) external view returns (RootInfo memory);
    /// @notice Whether claims against `root` are accepted now: posted, past its challenge window, not revoked.
    function isClaimable(bytes32 root) external view returns (bool);
    function lastPostedEpoch() external view returns (uint64);
    function claimed(address account) external view returns (uint256);
    /// @notice All OPEN received through {fund}.
    function totalFunded() external view returns (uint256);
    function challengeWindow() external view returns (uint64);
    /// @notice What was funded for `epoch` through {fund} (bookkeeping; claims draw on the whole balance).
    function fundedOf(uint64 epoch) external view returns (uint256);
    /// @notice The OPEN token paid out.
    function token() external view returns (address);
}
