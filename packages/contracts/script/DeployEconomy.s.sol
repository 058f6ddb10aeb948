// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title DeployEconomy
/// @notice Hook for the issue-3 contracts (DatanetRegistry, ModelRegistry, FeeEscrow,
/// AttributionSettlement). {Deploy} calls {_deployEconomy} after the token, governance and vesting
/// are live and before the deployer's roles are handed to the Timelock.
/// @dev OWNED BY THE ECONOMY CONTRACTS. Fill {_deployEconomy}: deploy, configure, then hand every
/// admin role to `p.timelock` (the deployer still holds its temporary roles during this call).
/// Extra settings can be read from `p.configJson` with `vm.parseJson*`.
abstract contract DeployEconomy {
    /// @notice What the economy contracts get from the core deployment.
    struct EconomyParams {
        address open;
        address gopen;
        address timelock;
        address governor;
        address settler;
        address guardian;
        address deployer;
        string configJson;
    }

    /// @notice The deployed economy contracts (zero until filled in).
    struct EconomyAddresses {
        address datanetRegistry;
        address modelRegistry;
        address feeEscrow;
        address attributionSettlement;
    }

    /// @notice Deploys the economy contracts. Stub: returns zero addresses.
    function _deployEconomy(EconomyParams memory p) internal virtual returns (EconomyAddresses memory a) {
        p; // silence unused warning until filled in
        a;
    }
}
