// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IOpenTokenErrors
/// @notice Errors and events shared by the OPEN token on L1 and its L2 representation.
interface IOpenTokenErrors {
    /// @notice Thrown when minting would push the total supply past the hard cap.
    /// @param cap The hard cap.
    /// @param supplyAfter The total supply the mint would have produced.
    error OpenTokenCapExceeded(uint256 cap, uint256 supplyAfter);

    /// @notice Thrown when a constructor argument is the zero address.
    error OpenTokenZeroAddress();

    /// @notice Thrown when someone other than the bridge calls a bridge-only function.
    /// @param caller The unauthorised caller.
    error OpenTokenOnlyBridge(address caller);

    /// @notice Emitted when the bridge mints tokens on L2.
    /// @param account The receiver.
    /// @param amount The amount minted.
    event Mint(address indexed account, uint256 amount);

    /// @notice Emitted when the bridge burns tokens on L2.
    /// @param account The account burnt from.
    /// @param amount The amount burnt.
    event Burn(address indexed account, uint256 amount);
}
