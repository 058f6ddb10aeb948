// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IAttributionSettlement} from "../interfaces/IAttributionSettlement.sol";
import {SettlementState} from "./SettlementState.sol";
import {MerkleRootCalldata} from "./MerkleRootCalldata.sol";

/// @title AttributionSettlement
/// @notice Pays contributors their cumulative rewards against per-epoch Merkle roots, never more than it
/// was funded. Governance is the {DEFAULT_ADMIN_ROLE} holder (the Timelock); it grants {SETTLER_ROLE}
/// (posts roots) and {GUARDIAN_ROLE} (may revoke a root inside its challenge window, as governance may).
/// @dev Roots are stored by value: a claim hashes its proof up to a root and reads that root's one slot
/// (epoch, end of the challenge window, revoked flag, total). Roots are cumulative and amounts only grow,
/// so any root past its window that was not revoked may be claimed against; an older one simply pays
/// less or nothing. The pool claims draw on is the contract's own OPEN balance: OPEN only comes in
/// through {fund} (or as a gift) and only leaves through claims, so whatever roots are posted no claim
/// can pay out more than was put in (the token reverts with `ERC20InsufficientBalance` first), and a
/// second copy of that balance in storage would cost every claim another slot update.
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
        uint256 total = _head.totalFunded + amount;
        if (total > type(uint96).max) revert SettlementInvalidParameter("amount");
        // casting is safe: checked just above
        // forge-lint: disable-next-line(unsafe-typecast)
        _head.totalFunded = uint96(total);
        _fundedOf[epoch] += amount;
        emit Funded(epoch, msg.sender, amount, total);
    }

    /// @inheritdoc IAttributionSettlement
    /// @dev Requirements: `epoch` is the last posted epoch + 1, `root` is non-zero and not revoked, and
    /// `total` is at most {totalFunded}. The URI is only emitted, never stored.
    function postRoot(uint64 epoch, bytes32 root, uint256 total, string calldata dataURI)
        external
        onlyRole(SETTLER_ROLE)
    {
        Head memory h = _head;
        uint64 expected = uint64(h.lastPostedEpoch) + 1;
        if (epoch != expected) revert SettlementEpochNotNext(epoch, expected);
        if (root == bytes32(0)) revert SettlementInvalidRoot(root);
        if (total > h.totalFunded) revert SettlementUnderfunded(total, h.totalFunded);
        StoredRoot memory r = _roots[root];
        if (r.epoch == 0) {
            // casting is safe: epochs are sequential, 2^32 posts are out of reach; total <= totalFunded, a uint96
            // forge-lint: disable-next-line(unsafe-typecast)
            r = StoredRoot({epoch: uint32(epoch), claimableAt: uint40(block.timestamp) + h.challengeWindow, revoked: false, total: uint96(total)});
            _roots[root] = r;
        } else if (r.revoked) {
            revert SettlementInvalidRoot(root);
        }
        // casting is safe: as above
        // forge-lint: disable-next-line(unsafe-typecast)
        _head.lastPostedEpoch = uint32(epoch);
        emit RootPosted(epoch, root, r.total, r.claimableAt, dataURI);
    }

    /// @inheritdoc IAttributionSettlement
    function revokeRoot(bytes32 root) external {
        if (!hasRole(GUARDIAN_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
        StoredRoot storage r = _roots[root];
        // forge-lint: disable-next-line(block-timestamp)
        if (r.epoch == 0 || r.revoked || block.timestamp >= r.claimableAt) revert SettlementNotRevocable(root);
        r.revoked = true;
        emit RootRevoked(r.epoch, root);
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

    /// @dev Verifies the StandardMerkleTree leaf of `(account, cumulativeAmount)` against the root its proof
    /// leads to and pays the difference. With `strict`, nothing to claim reverts; otherwise it pays 0.
    function _claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof, bool strict)
        private
        returns (uint256 paid)
    {
        bytes32 root = MerkleRootCalldata.rootOf(proof, _leaf(account, cumulativeAmount));
        StoredRoot memory r = _roots[root];
        if (r.epoch == 0) revert SettlementInvalidProof(account, cumulativeAmount);
        if (r.revoked) revert SettlementRootRevoked(root);
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < r.claimableAt) revert SettlementRootPending(root, r.claimableAt);
        uint256 already = _claimed[account];
        if (cumulativeAmount <= already) {
            if (strict) revert SettlementNothingToClaim(account);
            return 0;
        }
        _claimed[account] = cumulativeAmount;
        unchecked {
            paid = cumulativeAmount - already; // cannot underflow: checked above
        }
        _token.safeTransfer(account, paid);
        emit Claimed(account, r.epoch, paid, cumulativeAmount);
    }

    /// @dev `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))` in scratch space.
    function _leaf(address account, uint256 amount) private pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, amount)
            mstore(0x00, keccak256(0x00, 0x40))
            leaf := keccak256(0x00, 0x20)
        }
    }
}
