// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Script} from "forge-std/Script.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {DatanetRegistry} from "../src/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../src/model/ModelRegistry.sol";
import {FeeEscrow} from "../src/escrow/FeeEscrow.sol";
import {AttributionSettlement} from "../src/settlement/AttributionSettlement.sol";
import {IDatanetRegistry} from "../src/interfaces/IDatanetRegistry.sol";
import {IFeeEscrow} from "../src/interfaces/IFeeEscrow.sol";

/// @title DeployEconomy
/// @notice Hook for the issue-3 contracts (DatanetRegistry, ModelRegistry, FeeEscrow,
/// AttributionSettlement). {Deploy} calls {_deployEconomy} after the token, governance and vesting
/// are live and before the deployer's roles are handed to the Timelock.
/// @dev The registries go behind ERC1967 (UUPS) proxies. Every admin role is given to the Timelock at
/// construction or initialization, so the deployer never holds one. Optional settings in the config:
/// `operator` (the gateway; default: the settler) and an `economy` object with `treasury`, `curatorPool`
/// (default: the Timelock), `slashShareBps` (2000), `slashToCurator` (false), `unstakeCooldown`
/// (7 days), `challengeWindow` (1 day), `withdrawalDelay` (1 day, all in seconds) and `feeShares`
/// {protocolBps, modelOwnerBps, contributorsBps, curatorsBps} (1000/3000/5000/1000).
abstract contract DeployEconomy is Script {
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

    /// @notice The economy settings, read from the config with defaults.
    struct EconomySettings {
        address operator;
        address treasury;
        address curatorPool;
        uint16 slashShareBps;
        bool slashToCurator;
        uint64 unstakeCooldown;
        uint64 challengeWindow;
        uint64 withdrawalDelay;
        IFeeEscrow.FeeShares feeShares;
    }

    /// @notice Deploys DatanetRegistry and ModelRegistry (proxies), AttributionSettlement and FeeEscrow.
    function _deployEconomy(EconomyParams memory p) internal virtual returns (EconomyAddresses memory a) {
        EconomySettings memory s = _readEconomySettings(p);
        a.datanetRegistry = address(
            new ERC1967Proxy(
                address(new DatanetRegistry()),
                abi.encodeCall(
                    DatanetRegistry.initialize,
                    (IERC20(p.open), p.timelock, s.treasury, s.slashShareBps, s.slashToCurator, s.unstakeCooldown)
                )
            )
        );
        a.modelRegistry = address(
            new ERC1967Proxy(
                address(new ModelRegistry()),
                abi.encodeCall(ModelRegistry.initialize, (IDatanetRegistry(a.datanetRegistry), p.timelock))
            )
        );
        a.attributionSettlement =
            address(new AttributionSettlement(IERC20(p.open), p.timelock, p.settler, p.guardian, s.challengeWindow));
        a.feeEscrow = address(
            new FeeEscrow(
                IERC20(p.open),
                p.timelock,
                s.operator,
                s.treasury,
                s.curatorPool,
                a.attributionSettlement,
                s.feeShares,
                s.withdrawalDelay
            )
        );
    }

    function _readEconomySettings(EconomyParams memory p) internal view returns (EconomySettings memory s) {
        string memory j = p.configJson;
        s.operator = vm.keyExistsJson(j, ".operator") ? vm.parseJsonAddress(j, ".operator") : p.settler;
        s.treasury = _address(j, ".economy.treasury", p.timelock);
        s.curatorPool = _address(j, ".economy.curatorPool", p.timelock);
        s.slashShareBps = uint16(_uint(j, ".economy.slashShareBps", 2_000));
        s.slashToCurator =
            vm.keyExistsJson(j, ".economy.slashToCurator") && vm.parseJsonBool(j, ".economy.slashToCurator");
        s.unstakeCooldown = uint64(_uint(j, ".economy.unstakeCooldown", 7 days));
        s.challengeWindow = uint64(_uint(j, ".economy.challengeWindow", 1 days));
        s.withdrawalDelay = uint64(_uint(j, ".economy.withdrawalDelay", 1 days));
        s.feeShares = IFeeEscrow.FeeShares({
            protocolBps: uint16(_uint(j, ".economy.feeShares.protocolBps", 1_000)),
            modelOwnerBps: uint16(_uint(j, ".economy.feeShares.modelOwnerBps", 3_000)),
            contributorsBps: uint16(_uint(j, ".economy.feeShares.contributorsBps", 5_000)),
            curatorsBps: uint16(_uint(j, ".economy.feeShares.curatorsBps", 1_000))
        });
    }

    function _address(string memory json, string memory key, address fallback_) private view returns (address) {
        return vm.keyExistsJson(json, key) ? vm.parseJsonAddress(json, key) : fallback_;
    }

    function _uint(string memory json, string memory key, uint256 fallback_) private view returns (uint256) {
        return vm.keyExistsJson(json, key) ? vm.parseJsonUint(json, key) : fallback_;
    }
}
