// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAttributionSettlement} from "../interfaces/IAttributionSettlement.sol";
import {SettlementState} from "./SettlementState.sol";
import {MerkleRootCalldata} from "./MerkleRootCalldata.sol";

/// @title AttributionSettlement
/// @notice Pays contributors their cumulative rewards against per-epoch Merkle roots, never more than it
/// was funded. Governance is the {DEFAULT_ADMIN_ROLE} holder (the Timelock); it grants {SETTLER_ROLE}
/// (posts roots) and {GUARDIAN_ROLE} (may revoke a root inside its challenge window, as governance may).
/// @dev Roots are cumulative, so the newest claimable root supersedes every older one. Every claim reads
/// one packed {Head} slot to find it: the newest posted epoch when past its window and not revoked,
/// otherwise the fallback: the newest epoch that was claimable when the newest one was posted (found
/// by binary search, so a window longer than the posting period works). An epoch that matures between
/// two posts while a newer one is pending becomes claimable at the next post.
/// Not upgradeable: it holds funds.
contract AttributionSettlement is SettlementState {
    using SafeERC20 for IERC20;

    /// @param token_ OPEN.
    /// @param governance Receives {DEFAULT_ADMIN_ROLE} (the Timelock).
    /// @param settler Receives {SETTLER_ROLE} (skipped when zero).
    /// @param guardian Receives {GUARDIAN_ROLE} (skipped when zero).
    /// @param window The initial challenge window in seconds.
    constructor(IERC20 token_, address governance, address settler, address guardian, uint64 window)
        SettlementState(token_)
    {
        if (governance == address(0)) revert SettlementInvalidParameter("governance");
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
        uint256 total = _totalFunded + amount;
        SafeCast.toUint96(total); // reverts beyond 96 bits
        _totalFunded = total;
        // casting is safe: available and the epoch's funding are parts of the total, which fits 96 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        _head.available += uint96(amount);
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
        uint256 funded = _totalFunded;
        if (total > funded) revert SettlementUnderfunded(total, funded);
        h.fallbackEpoch = uint32(_newestClaimableEpoch(h));
        uint40 claimableAt = uint40(block.timestamp) + h.challengeWindow;
        // casting is safe: epochs are sequential, 2^32 posts are out of reach
        // forge-lint: disable-next-line(unsafe-typecast)
        h.lastPostedEpoch = uint32(epoch);
        h.lastClaimableAt = claimableAt;
        h.lastRevoked = false;
        _writeHead(h);
        // casting is safe: total <= _totalFunded, which fits 96 bits
        // forge-lint: disable-next-line(unsafe-typecast)
        _writeEpoch(epoch, root, uint96(total), claimableAt);
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
        if (MerkleRootCalldata.rootOf(proof, leaf) != _epochs[epoch].root) {
            revert SettlementInvalidProof(account, cumulativeAmount);
        }
        uint256 already = _claimed[account];
        if (cumulativeAmount <= already) {
            if (strict) revert SettlementNothingToClaim(account);
            return 0;
        }
        paid = cumulativeAmount - already;
        if (paid > h.available) {
            uint256 funded = _totalFunded;
            revert SettlementUnderfunded(funded - h.available + paid, funded);
        }
        _claimed[account] = cumulativeAmount;
        // casting is safe: paid <= available, a uint96
        // forge-lint: disable-next-line(unsafe-typecast)
        _head.available = h.available - uint96(paid);
        _token.safeTransfer(account, paid);
        emit Claimed(account, epoch, paid, cumulativeAmount);
    }
}
