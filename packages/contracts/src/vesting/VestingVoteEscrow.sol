// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GOpenToken} from "../governance/GOpenToken.sol";

/// @title VestingVoteEscrow
/// @notice Holds one grant's unreleased tokens as GOPEN so that its beneficiary can delegate their
/// votes, while the tokens themselves stay under the vesting contract's control.
/// @dev Deployed by {TokenVesting} per grant on first delegation. Only the vault (its deployer) can
/// move the GOPEN, and only out as OPEN via {GOpenToken-withdrawTo}; the beneficiary can only pick
/// the delegatee through the vault. One escrow per grant because ERC-5805 delegation is per account.
contract VestingVoteEscrow {
    /// @notice Thrown when someone other than the vault calls.
    error VestingVoteEscrowOnlyVault(address caller);

    /// @notice The vesting contract that owns this escrow.
    address public immutable vault;
    /// @notice The GOPEN token held here.
    GOpenToken public immutable gopen;

    /// @param gopen_ The GOPEN token.
    constructor(GOpenToken gopen_) {
        vault = msg.sender;
        gopen = gopen_;
    }

    modifier onlyVault() {
        if (msg.sender != vault) revert VestingVoteEscrowOnlyVault(msg.sender);
        _;
    }

    /// @notice Delegates the votes of the GOPEN held here. Vault only.
    function delegate(address delegatee) external onlyVault {
        gopen.delegate(delegatee);
    }

    /// @notice Unwraps `amount` GOPEN held here and sends the OPEN to `to`. Vault only.
    function withdrawTo(address to, uint256 amount) external onlyVault {
        gopen.withdrawTo(to, amount);
    }
}
