// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAttributionSettlement} from "../interfaces/IAttributionSettlement.sol";

/// @title SettlementState
/// @notice Roles, packed state, views and parameters of {AttributionSettlement}.
abstract contract SettlementState is IAttributionSettlement, AccessControl {
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Upper bound of {challengeWindow}.
    uint64 public constant MAX_CHALLENGE_WINDOW = 30 days;

    /// @dev What {fund} and {postRoot} read and update, in one slot. Claims never touch it.
    struct Head {
        uint32 lastPostedEpoch;
        uint32 challengeWindow;
        uint96 totalFunded; // OPEN's whole supply (1e27 wei) is below 2^96; fund() reverts beyond
    }

    /// @dev A posted root as stored, keyed by the root: the one slot a claim reads besides its own.
    struct StoredRoot {
        uint32 epoch; // first epoch it was posted for; 0 = never posted
        uint40 claimableAt;
        bool revoked;
        uint96 total;
    }

    IERC20 internal immutable _token;
    Head internal _head;
    mapping(bytes32 root => StoredRoot) internal _roots;
    mapping(address account => uint256) internal _claimed;
    mapping(uint64 epoch => uint256) internal _fundedOf;

    constructor(IERC20 token_) {
        if (address(token_) == address(0)) revert SettlementInvalidParameter("token");
        _token = token_;
    }

    /// @inheritdoc IAttributionSettlement
    function setChallengeWindow(uint64 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setChallengeWindow(window);
    }

    /// @inheritdoc IAttributionSettlement
    function rootInfo(bytes32 root) external view returns (RootInfo memory) {
        StoredRoot memory r = _roots[root];
        return RootInfo({epoch: r.epoch, total: r.total, claimableAt: r.claimableAt, revoked: r.revoked});
    }

    /// @inheritdoc IAttributionSettlement
    function isClaimable(bytes32 root) external view returns (bool) {
        StoredRoot memory r = _roots[root];
        // forge-lint: disable-next-line(block-timestamp)
        return r.epoch != 0 && !r.revoked && block.timestamp >= r.claimableAt;
    }

    /// @inheritdoc IAttributionSettlement
    function lastPostedEpoch() external view returns (uint64) {
        return _head.lastPostedEpoch;
    }

    /// @inheritdoc IAttributionSettlement
    function claimed(address account) external view returns (uint256) {
        return _claimed[account];
    }

    /// @inheritdoc IAttributionSettlement
    function totalFunded() external view returns (uint256) {
        return _head.totalFunded;
    }

    /// @inheritdoc IAttributionSettlement
    function challengeWindow() external view returns (uint64) {
        return _head.challengeWindow;
    }

    /// @inheritdoc IAttributionSettlement
    function fundedOf(uint64 epoch) external view returns (uint256) {
        return _fundedOf[epoch];
    }

    /// @inheritdoc IAttributionSettlement
    function token() external view returns (address) {
        return address(_token);
    }

    function _setChallengeWindow(uint64 window) internal {
        if (window > MAX_CHALLENGE_WINDOW) revert SettlementInvalidParameter("challengeWindow");
        // forge-lint: disable-next-line(unsafe-typecast)
        _head.challengeWindow = uint32(window); // casting is safe: window <= MAX_CHALLENGE_WINDOW
        emit ChallengeWindowSet(window);
    }
}
