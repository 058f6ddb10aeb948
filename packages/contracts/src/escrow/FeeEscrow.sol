// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IFeeEscrow} from "../interfaces/IFeeEscrow.sol";
import {FeeSplitter} from "./FeeSplitter.sol";

/// @title FeeEscrow
/// @notice Callers' OPEN deposits, spent by an approved operator (the gateway) within cumulative caps the
/// callers signed, and split on collection. Governance ({DEFAULT_ADMIN_ROLE}, the Timelock) sets the
/// shares, recipients and delay and grants {OPERATOR_ROLE}. Not upgradeable: it holds funds.
contract FeeEscrow is IFeeEscrow, FeeSplitter, AccessControl, EIP712 {
    using SafeERC20 for IERC20;

    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant SPENDING_AUTHORIZATION_TYPEHASH =
        keccak256("SpendingAuthorization(address payer,address operator,uint256 cap,uint64 expiry)");
    uint64 public constant MAX_WITHDRAWAL_DELAY = 30 days;

    IERC20 private immutable _token;
    uint64 private _withdrawalDelay;
    mapping(address payer => uint256) private _balances;
    mapping(address payer => mapping(address operator => uint256)) private _spent;
    mapping(address payer => Withdrawal) private _withdrawals;

    /// @param token_ OPEN.
    /// @param governance Receives {DEFAULT_ADMIN_ROLE} (the Timelock).
    /// @param operator Receives {OPERATOR_ROLE} (skipped when zero).
    /// @param delay The withdrawal delay in seconds.
    constructor(
        IERC20 token_,
        address governance,
        address operator,
        address treasury_,
        address curatorPool_,
        address settlement_,
        FeeShares memory shares,
        uint64 delay
    ) EIP712("FeeEscrow", "1") {
        if (address(token_) == address(0)) revert EscrowInvalidParameter("token");
        if (governance == address(0)) revert EscrowInvalidParameter("governance");
        _token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        if (operator != address(0)) _grantRole(OPERATOR_ROLE, operator);
        _setRecipients(treasury_, curatorPool_, settlement_);
        _setFeeShares(shares);
        _setWithdrawalDelay(delay);
    }

    /// @inheritdoc IFeeEscrow
    /// @dev Emits {Deposited}.
    function deposit(uint256 amount) external {
        _deposit(amount);
    }

    /// @inheritdoc IFeeEscrow
    /// @dev A failed permit is ignored (it may have been front-run); the transfer then needs the allowance.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        try IERC20Permit(address(_token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _deposit(amount);
    }

    /// @inheritdoc IFeeEscrow
    /// @dev Replaces any pending request and restarts the delay. Emits {WithdrawalRequested}.
    function requestWithdrawal(uint256 amount) external {
        uint256 balance = _balances[msg.sender];
        if (amount == 0) revert EscrowInvalidAmount();
        if (amount > balance) revert EscrowInsufficientBalance(msg.sender, balance, amount);
        uint64 availableAt = uint64(block.timestamp) + _withdrawalDelay;
        _withdrawals[msg.sender] = Withdrawal({amount: SafeCast.toUint128(amount), availableAt: availableAt});
        emit WithdrawalRequested(msg.sender, amount, availableAt);
    }

    /// @inheritdoc IFeeEscrow
    /// @dev Pays the requested amount, or the remaining balance if fees were collected meanwhile.
    /// Emits {Withdrawn}.
    function withdraw() external {
        Withdrawal memory w = _withdrawals[msg.sender];
        if (w.amount == 0) revert EscrowInvalidAmount();
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < w.availableAt) revert EscrowWithdrawalNotReady(w.availableAt);
        uint256 balance = _balances[msg.sender];
        uint256 amount = w.amount < balance ? w.amount : balance;
        delete _withdrawals[msg.sender];
        _balances[msg.sender] = balance - amount;
        _token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @inheritdoc IFeeEscrow
    /// @dev Requirements: the caller is `auth.operator` and holds {OPERATOR_ROLE}, the authorization is
    /// unexpired and signed by `auth.payer` (EOA or ERC-1271), spent + `amount` is within `auth.cap` and
    /// the payer's balance covers `amount`.
    function collect(
        SpendingAuthorization calldata auth,
        bytes calldata signature,
        uint256 amount,
        address modelOwner,
        uint64 epoch
    ) external {
        if (msg.sender != auth.operator) revert EscrowNotOperator(msg.sender, auth.operator);
        if (!hasRole(OPERATOR_ROLE, msg.sender)) revert EscrowOperatorNotApproved(msg.sender);
        if (amount == 0) revert EscrowInvalidAmount();
        if (modelOwner == address(0)) revert EscrowInvalidParameter("modelOwner");
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp > auth.expiry) revert EscrowAuthorizationExpired(auth.expiry);
        if (!SignatureChecker.isValidSignatureNow(auth.payer, _hashAuthorization(auth), signature)) {
            revert EscrowInvalidSignature(auth.payer);
        }
        uint256 spentBefore = _spent[auth.payer][msg.sender];
        if (spentBefore + amount > auth.cap) revert EscrowCapExceeded(auth.payer, auth.cap, spentBefore, amount);
        uint256 balance = _balances[auth.payer];
        if (amount > balance) revert EscrowInsufficientBalance(auth.payer, balance, amount);
        _spent[auth.payer][msg.sender] = spentBefore + amount;
        _balances[auth.payer] = balance - amount;
        emit Collected(auth.payer, msg.sender, modelOwner, epoch, amount, spentBefore + amount);
        _split(_token, amount, modelOwner, epoch);
    }

    /// @inheritdoc IFeeEscrow
    function setFeeShares(FeeShares calldata shares) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFeeShares(shares);
    }

    /// @inheritdoc IFeeEscrow
    function setRecipients(address treasury_, address curatorPool_, address settlement_)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _setRecipients(treasury_, curatorPool_, settlement_);
    }

    /// @inheritdoc IFeeEscrow
    function setWithdrawalDelay(uint64 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setWithdrawalDelay(delay);
    }

    /// @inheritdoc IFeeEscrow
    function balanceOf(address payer) external view returns (uint256) {
        return _balances[payer];
    }

    /// @inheritdoc IFeeEscrow
    function spent(address payer, address operator) external view returns (uint256) {
        return _spent[payer][operator];
    }

    /// @inheritdoc IFeeEscrow
    function pendingWithdrawal(address payer) external view returns (Withdrawal memory) {
        return _withdrawals[payer];
    }

    /// @inheritdoc IFeeEscrow
    function hashAuthorization(SpendingAuthorization calldata auth) external view returns (bytes32) {
        return _hashAuthorization(auth);
    }

    /// @inheritdoc IFeeEscrow
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IFeeEscrow
    function withdrawalDelay() external view returns (uint64) {
        return _withdrawalDelay;
    }

    function _deposit(uint256 amount) private {
        if (amount == 0) revert EscrowInvalidAmount();
        _token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 balance = _balances[msg.sender] + amount;
        _balances[msg.sender] = balance;
        emit Deposited(msg.sender, amount, balance);
    }

    function _setWithdrawalDelay(uint64 delay) private {
        if (delay > MAX_WITHDRAWAL_DELAY) revert EscrowInvalidParameter("withdrawalDelay");
        _withdrawalDelay = delay;
        emit WithdrawalDelaySet(delay);
    }

    function _hashAuthorization(SpendingAuthorization calldata auth) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(SPENDING_AUTHORIZATION_TYPEHASH, auth.payer, auth.operator, auth.cap, auth.expiry))
        );
    }
}
