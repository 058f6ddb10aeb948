// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {ERC20Wrapper} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Wrapper.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

/// @title GOpenToken
/// @notice GOPEN, the governance token: OPEN wrapped 1:1 ({depositFor} / {withdrawTo}), with
/// ERC-5805 votes, delegation by signature and ERC-2612 permit.
/// @dev The ERC-6372 clock is the block timestamp, not the block number, because L2 block times
/// vary; the Governor's delay and period are therefore in seconds. Immutable and ownerless: the
/// OPEN held here can only leave through {withdrawTo} by a GOPEN holder burning the same amount.
contract GOpenToken is ERC20, ERC20Permit, ERC20Votes, ERC20Wrapper {
    /// @param open The OPEN token to wrap.
    constructor(IERC20 open) ERC20("Governance OpenLedger", "GOPEN") ERC20Permit("Governance OpenLedger") ERC20Wrapper(open) {}

    /// @notice ERC-6372: the current timepoint, the block timestamp.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372: the clock is the block timestamp.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20Wrapper
    function decimals() public view override(ERC20, ERC20Wrapper) returns (uint8) {
        return super.decimals();
    }

    /// @inheritdoc Nonces
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
