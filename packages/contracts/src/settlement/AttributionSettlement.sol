// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAttributionSettlement} from "../interfaces/IAttributionSettlement.sol";

/// @title AttributionSettlement
/// @notice Pays contributors their cumulative rewards against per-epoch Merkle roots, never more than it
/// was funded. Governance is the {DEFAULT_ADMIN_ROLE} holder (the Timelock); it grants {SETTLER_ROLE}
/// (posts roots) and {GUARDIAN_ROLE} (may revoke a root inside its challenge window, as governance may).
/// @dev Roots are cumulative, so the newest claimable root supersedes every older one. Every claim reads
/// one packed {Head} slot to find it: the newest posted epoch when past its window and not revoked,
/// otherwise the newest epoch that was claimable when that one was posted. A root posted while the
/// previous one is still in its window therefore supersedes it before it ever becomes claimable.
/// Not upgradeable: it holds funds.
contract AttributionSettlement is IAttributionSettlement, AccessControl {
    using SafeERC20 for IERC20;

    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Upper bound of {challengeWindow}.
    uint64 public constant MAX_CHALLENGE_WINDOW = 30 days;

    /// @dev Everything a claim and a post need besides the root itself, in one slot.
    struct Head {
        uint32 lastPostedEpoch;
        uint32 fallbackEpoch; // newest claimable epoch at the time lastPostedEpoch was posted
        uint40 lastClaimableAt;
        bool lastRevoked;
        uint32 challengeWindow;
        uint96 totalFunded; // OPEN's whole supply is 1e27 wei < 2^96; fund() reverts on overflow
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

    IERC20 private immutable _token;
    Head private _head;
    uint256 private _totalClaimed;
    mapping(uint64 epoch => StoredEpoch) private _epochs;
    mapping(address account => uint256) private _claimed;

    /// @param token_ OPEN.
    /// @param governance Receives {DEFAULT_ADMIN_ROLE} (the Timelock).
    /// @param settler Receives {SETTLER_ROLE} (skipped when zero).
    /// @param guardian Receives {GUARDIAN_ROLE} (skipped when zero).
    /// @param window The initial challenge window in seconds.
    constructor(IERC20 token_, address governance, address settler, address guardian, uint64 window) {
        if (address(token_) == address(0)) revert SettlementInvalidParameter("token");
        if (governance == address(0)) revert SettlementInvalidParameter("governance");
        _token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        if (settler != address(0)) _grantRole(SETTLER_ROLE, settler);
        if (guardian != address(0)) _grantRole(GUARDIAN_ROLE, guardian);
        _setChallengeWindow(window);
    }

    /// @inheritdoc IAttributionSettlement
    /// @dev {Funded}'s `totalFunded` is the contract-wide total ({totalFunded}); {fundedOf} has the epoch's.
    function fund(uint64 epoch, uint256 amount) external {
        if (amount == 0) revert SettlementInvalidParameter("amount");
        _token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 total = _head.totalFunded + amount;
        _head.totalFunded = SafeCast.toUint96(total);
        // casting is safe: the epoch's funding is part of the total, which fits 96 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        _epochs[epoch].funded += uint96(amount);
        emit Funded(epoch, msg.sender, amount, total);
    }

    /// @inheritdoc IAttributionSettlement
    /// @dev Requirements: `epoch` is the last posted epoch + 1 (revoked ones are not reused), `root` is
    /// non-zero and `total` at most {totalFunded}. The URI is only emitted, never stored.
    function postRoot(uint64 epoch, bytes32 root, uint256 total, string calldata dataURI)
        external
        onlyRole(SETTLER_ROLE)
    {
        Head memory h = _head;
        uint64 expected = uint64(h.lastPostedEpoch) + 1;
        if (epoch != expected) revert SettlementEpochNotNext(epoch, expected);
        if (root == bytes32(0)) revert SettlementInvalidRoot(root);
        if (total > h.totalFunded) revert SettlementUnderfunded(total, h.totalFunded);
        h.fallbackEpoch = uint32(_claimableEpoch(h));
        uint40 claimableAt = uint40(block.timestamp) + h.challengeWindow;
        // casting is safe: epochs are sequential, 2^32 posts are out of reach
        // forge-lint: disable-next-line(unsafe-typecast)
        h.lastPostedEpoch = uint32(epoch);
        h.lastClaimableAt = claimableAt;
        h.lastRevoked = false;
        _head = h;
        StoredEpoch storage e = _epochs[epoch];
        e.root = root;
        // casting is safe: total <= totalFunded, a uint96
        // forge-lint: disable-next-line(unsafe-typecast)
        e.total = uint96(total);
        e.claimableAt = claimableAt;
        e.revoked = false;
        emit RootPosted(epoch, root, total, claimableAt, dataURI);
    }

    /// @inheritdoc IAttributionSettlement
    function revokeRoot(uint64 epoch) external {
        if (!hasRole(GUARDIAN_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
        StoredEpoch storage r = _epochs[epoch];
        // forge-lint: disable-next-line(block-timestamp)
        if (r.root == bytes32(0) || r.revoked || block.timestamp >= r.claimableAt) {
            revert SettlementNotRevocable(epoch);
        }
        r.revoked = true;
        if (epoch == _head.lastPostedEpoch) _head.lastRevoked = true;
        emit RootRevoked(epoch, r.root);
    }

    /// @inheritdoc IAttributionSettlement
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        returns (uint256 paid)
    {
        return _claim(account, cumulativeAmount, proof, true);
    }

    /// @inheritdoc IAttributionSettlement
    /// @dev Entries with nothing left to claim are skipped so a batch is not undone by one claim that
    /// landed first; an invalid proof still reverts the whole batch.
    function claimMany(address[] calldata accounts, uint256[] calldata cumulativeAmounts, bytes32[][] calldata proofs)
        external
        returns (uint256 paid)
    {
        uint256 n = accounts.length;
        if (cumulativeAmounts.length != n || proofs.length != n) revert SettlementLengthMismatch();
        for (uint256 i; i < n; ++i) {
            paid += _claim(accounts[i], cumulativeAmounts[i], proofs[i], false);
        }
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
        return _head.totalFunded;
    }

    /// @inheritdoc IAttributionSettlement
    function totalClaimed() external view returns (uint256) {
        return _totalClaimed;
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

    /// @dev Verifies the StandardMerkleTree leaf of `(account, cumulativeAmount)` and pays the difference.
    /// With `strict`, nothing to claim reverts; otherwise it pays 0.
    function _claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof, bool strict)
        private
        returns (uint256 paid)
    {
        Head memory h = _head;
        uint64 epoch = _claimableEpoch(h);
        if (epoch == 0) revert SettlementNoClaimableRoot();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
        if (!MerkleProof.verifyCalldata(proof, _epochs[epoch].root, leaf)) {
            revert SettlementInvalidProof(account, cumulativeAmount);
        }
        uint256 already = _claimed[account];
        if (cumulativeAmount <= already) {
            if (strict) revert SettlementNothingToClaim(account);
            return 0;
        }
        paid = cumulativeAmount - already;
        uint256 claimedTotal = _totalClaimed + paid;
        if (claimedTotal > h.totalFunded) revert SettlementUnderfunded(claimedTotal, h.totalFunded);
        _claimed[account] = cumulativeAmount;
        _totalClaimed = claimedTotal;
        _token.safeTransfer(account, paid);
        emit Claimed(account, epoch, paid, cumulativeAmount);
    }

    function _setChallengeWindow(uint64 window) private {
        if (window > MAX_CHALLENGE_WINDOW) revert SettlementInvalidParameter("challengeWindow");
        // forge-lint: disable-next-line(unsafe-typecast)
        _head.challengeWindow = uint32(window); // casting is safe: window <= MAX_CHALLENGE_WINDOW
        emit ChallengeWindowSet(window);
    }

    function _claimableEpoch(Head memory h) private view returns (uint64) {
        // forge-lint: disable-next-line(block-timestamp)
        if (h.lastPostedEpoch != 0 && !h.lastRevoked && block.timestamp >= h.lastClaimableAt) return h.lastPostedEpoch;
        return h.fallbackEpoch;
    }
}
