// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IFeeEscrow
/// @notice Callers deposit OPEN; an operator (the gateway) collects fees within a cumulative cap the
/// caller signed; collected fees are split on chain by governance-set shares.
interface IFeeEscrow {
    /// @notice EIP-712 `SpendingAuthorization(address payer,address operator,uint256 cap,uint64 expiry)`.
    /// `cap` is cumulative over everything `operator` ever collects from `payer`; a new signature with a
    /// higher cap raises it, a lower one can never undo what was already collected.
    struct SpendingAuthorization {
        address payer;
        address operator;
        uint256 cap;
        uint64 expiry;
    }

    /// @notice Shares in basis points; they sum to 10,000.
    struct FeeShares {
        uint16 protocolBps;
        uint16 modelOwnerBps;
        uint16 contributorsBps;
        uint16 curatorsBps;
    }

    struct Withdrawal {
        uint128 amount;
        uint64 availableAt;
    }

    error EscrowInvalidAmount();
    error EscrowInsufficientBalance(address payer, uint256 balance, uint256 needed);
    error EscrowAuthorizationExpired(uint64 expiry);
    error EscrowInvalidSignature(address payer);
    error EscrowNotOperator(address caller, address operator);
    error EscrowCapExceeded(address payer, uint256 cap, uint256 spent, uint256 amount);
    error EscrowWithdrawalNotReady(uint64 availableAt);
    error EscrowInvalidShares();
    error EscrowInvalidParameter(bytes32 name);
    /// @notice Thrown when the collecting operator lacks OPERATOR_ROLE.
    error EscrowOperatorNotApproved(address operator);

    event Deposited(address indexed payer, uint256 amount, uint256 balance);
    event WithdrawalRequested(address indexed payer, uint256 amount, uint64 availableAt);
    event Withdrawn(address indexed payer, uint256 amount);
    event Collected(
        address indexed payer,
        address indexed operator,
        address indexed modelOwner,
        uint64 epoch,
        uint256 amount,
        uint256 totalSpent
    );
    event FeesSplit(uint64 indexed epoch, uint256 protocol, uint256 modelOwner, uint256 contributors, uint256 curators);
    event FeeSharesSet(FeeShares shares);
    event RecipientsSet(address treasury, address curatorPool, address settlement);
    event WithdrawalDelaySet(uint64 delay);

    function deposit(uint256 amount) external;
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    /// @notice Starts a withdrawal of unspent balance; it becomes available after the delay. The amount
    /// stays collectable until withdrawn so an operator never serves requests it cannot be paid for.
    function requestWithdrawal(uint256 amount) external;
    function withdraw() external;

    /// @notice The operator (msg.sender == auth.operator) collects `amount` from `auth.payer`, paying
    /// `modelOwner` its share and funding the settlement contract's `epoch` with the contributors' share.
    /// Emits {Collected} and {FeesSplit}.
    function collect(
        SpendingAuthorization calldata auth,
        bytes calldata signature,
        uint256 amount,
        address modelOwner,
        uint64 epoch
    ) external;

    function balanceOf(address payer) external view returns (uint256);
    function spent(address payer, address operator) external view returns (uint256);
    function pendingWithdrawal(address payer) external view returns (Withdrawal memory);
    function feeShares() external view returns (FeeShares memory);
    function hashAuthorization(SpendingAuthorization calldata auth) external view returns (bytes32);

    /// @notice Governance sets the split; the shares sum to 10,000. Emits {FeeSharesSet}.
    function setFeeShares(FeeShares calldata shares) external;
    /// @notice Governance sets where the protocol and curator shares go and the settlement contract
    /// funded with the contributors' share. Emits {RecipientsSet}.
    function setRecipients(address treasury, address curatorPool, address settlement) external;
    /// @notice Governance sets the withdrawal delay (bounded). Emits {WithdrawalDelaySet}.
    function setWithdrawalDelay(uint64 delay) external;

    function token() external view returns (address);
    function treasury() external view returns (address);
    function curatorPool() external view returns (address);
    function settlement() external view returns (address);
    function withdrawalDelay() external view returns (uint64);
}
