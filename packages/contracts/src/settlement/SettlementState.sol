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
    /// @dev How many revoked epochs {postRoot} steps back over when looking for the newest claimable one.
    uint256 internal constant MAX_REVOKED_SKIPS = 8;

    /// @dev Everything a claim needs besides the root itself, in one slot that a claim reads and updates
    /// (so the pool it draws on costs no extra storage slot). {postRoot} also reads {_totalFunded}.
    struct Head {
        uint32 lastPostedEpoch;
        uint32 fallbackEpoch; // newest epoch claimable when lastPostedEpoch was posted
        uint40 lastClaimableAt;
        bool lastRevoked;
        uint32 challengeWindow;
        uint96 available; // funded and not yet claimed: _totalFunded - total claimed (<= _totalFunded)
    }

    /// @dev An epoch as stored. `funded` shares the slot with the root's metadata, so the slot that
    /// {fund} creates for an epoch is only updated, not created, when that epoch's root is posted.
    struct StoredEpoch {
        bytes32 root;
        uint96 total;
        uint40 claimableAt;
        bool revoked;
        uint96 funded;
    }

    IERC20 internal immutable _token;
    Head internal _head;
    /// @dev All OPEN ever funded; fits 96 bits (OPEN's whole supply is 1e27 wei < 2^96; fund() reverts on
    /// overflow). What was claimed is `_totalFunded - _head.available`.
    uint256 internal _totalFunded;
    mapping(uint64 epoch => StoredEpoch) internal _epochs;
    mapping(address account => uint256) internal _claimed;

    constructor(IERC20 token_) {
        if (address(token_) == address(0)) revert SettlementInvalidParameter("token");
        _token = token_;
    }

    /// @inheritdoc IAttributionSettlement
    function setChallengeWindow(uint64 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setChallengeWindow(window);
    }

    /// @inheritdoc IAttributionSettlement
    function epochRoot(uint64 epoch) external view returns (EpochRoot memory) {
        StoredEpoch storage e = _epochs[epoch];
        return EpochRoot({root: e.root, total: e.total, claimableAt: e.claimableAt, revoked: e.revoked});
    }

    /// @inheritdoc IAttributionSettlement
    function claimableEpoch() external view returns (uint64) {
        return _claimableEpoch(_head);
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
        return _totalFunded;
    }

    /// @inheritdoc IAttributionSettlement
    function totalClaimed() external view returns (uint256) {
        return _totalFunded - _head.available;
    }

    /// @inheritdoc IAttributionSettlement
    function challengeWindow() external view returns (uint64) {
        return _head.challengeWindow;
    }

    /// @inheritdoc IAttributionSettlement
    function fundedOf(uint64 epoch) external view returns (uint256) {
        return _epochs[epoch].funded;
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

    /// @dev Stores `h` with one SSTORE (Solidity would copy a memory struct field by field, one
    /// read-modify-write each). Bit positions are those of {Head}'s declared order: keep them in step
    /// (the view tests after a post read every field back).
    function _writeHead(Head memory h) internal {
        uint256 word = uint256(h.lastPostedEpoch) | (uint256(h.fallbackEpoch) << 32)
            | (uint256(h.lastClaimableAt) << 64) | (h.lastRevoked ? uint256(1) << 104 : 0)
            | (uint256(h.challengeWindow) << 112) | (uint256(h.available) << 144);
        assembly ("memory-safe") {
            sstore(_head.slot, word)
        }
    }

    /// @dev Stores a posted epoch (not revoked), keeping its `funded`: one SSTORE per slot. Bit positions
    /// are those of {StoredEpoch}'s declared order.
    function _writeEpoch(uint64 epoch, bytes32 root, uint96 total, uint40 claimableAt) internal {
        StoredEpoch storage e = _epochs[epoch];
        e.root = root;
        uint256 word = uint256(total) | (uint256(claimableAt) << 96) | (uint256(e.funded) << 144);
        assembly ("memory-safe") {
            sstore(add(e.slot, 1), word)
        }
    }

    function _claimableEpoch(Head memory h) internal view returns (uint64) {
        // forge-lint: disable-next-line(block-timestamp)
        if (h.lastPostedEpoch != 0 && !h.lastRevoked && block.timestamp >= h.lastClaimableAt) return h.lastPostedEpoch;
        return h.fallbackEpoch;
    }

    /// @dev The newest epoch claimable right now, for {postRoot} to keep as the fallback: the last posted
    /// one if claimable, else a search (claimableAt grows with the epoch) over the epochs posted since the
    /// old fallback, stepping back over revoked ones (at most {MAX_REVOKED_SKIPS}); the old fallback if none
    /// qualifies. The search probes the two epochs after the old fallback first (posting at a steady rate,
    /// at most one more epoch has matured since the previous post, so that settles it in one or two
    /// reads), then bisects: at most 2 + log2(n) reads, so a challenge window longer than the posting
    /// period still lets roots become claimable.
    function _newestClaimableEpoch(Head memory h) internal view returns (uint64 best) {
        best = _claimableEpoch(h);
        if (best == h.lastPostedEpoch) return best;
        uint256 lo = uint256(h.fallbackEpoch) + 1;
        uint256 hi = h.lastPostedEpoch; // exclusive: the last posted epoch is not claimable
        // invariant: every epoch in [old fallback + 1, lo) has matured, none in [hi, lastPostedEpoch] has
        for (uint256 probes; lo < hi; ++probes) {
            uint256 mid = probes < 2 ? lo : (lo + hi) / 2;
            // forge-lint: disable-next-line(block-timestamp)
            if (block.timestamp >= _epochs[uint64(mid)].claimableAt) lo = mid + 1;
            else hi = mid;
        }
        // lo - 1 is the newest epoch whose window has passed (or the old fallback)
        for (uint256 e = lo - 1; e > h.fallbackEpoch && e + MAX_REVOKED_SKIPS >= lo; --e) {
            StoredEpoch storage r = _epochs[uint64(e)];
            // forge-lint: disable-next-line(block-timestamp)
            if (!r.revoked && block.timestamp >= r.claimableAt) return uint64(e);
        }
        return h.fallbackEpoch;
    }
}
