// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IOpenTokenErrors} from "./interfaces/IOpenTokenErrors.sol";

/// @title OpenToken
/// @notice OPEN, the canonical L1 token of the OpenLedger network: ERC-20 with ERC-2612 permit.
/// @dev The whole capped supply is minted once, in the constructor, to the distributor. There is no
/// mint function at all, so the supply can never exceed {CAP}; holders may only move tokens.
/// Nothing here is owned, pausable or upgradeable.
contract OpenToken is ERC20, ERC20Permit, IOpenTokenErrors {
    /// @notice The hard cap: 1,000,000,000 OPEN (18 decimals). Equal to the supply minted at deploy.
    uint256 public constant CAP = 1_000_000_000e18;

    /// @param distributor Receives the whole supply, to hand it out per the distribution config.
    constructor(address distributor) ERC20("OpenLedger", "OPEN") ERC20Permit("OpenLedger") {
        if (distributor == address(0)) revert OpenTokenZeroAddress();
        _mint(distributor, CAP);
    }

    /// @notice The hard cap (ERC20Capped-style getter).
    function cap() external pure returns (uint256) {
        return CAP;
    }
}
