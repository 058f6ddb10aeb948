// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DeployConfigReader} from "./DeployConfig.sol";

/// @title DeploymentWriter
/// @notice Writes `deployments/<chainId>.json`, the file the sdk reads (see deployments/README.md).
abstract contract DeploymentWriter is DeployConfigReader {
    /// @notice The addresses and facts written out.
    struct Record {
        uint256 chainId;
        uint256 startBlock;
        address open;
        address gopen;
        address timelock;
        address governor;
        address vesting;
        address datanetRegistry;
        address modelRegistry;
        address feeEscrow;
        address attributionSettlement;
        uint256 tge;
        uint256 firstGrantId;
    }

    function _writeDeployment(string memory path, Record memory r, DeployConfig memory c) internal {
        string memory json = string.concat(
            '{"chainId":', vm.toString(r.chainId), ',"startBlock":', vm.toString(r.startBlock), ',"contracts":{',
            _kv("OpenToken", r.open), ",", _kv("GOpenToken", r.gopen), ",", _kv("OpenTimelock", r.timelock), ",",
            _kv("OpenGovernor", r.governor), ",", _kv("TokenVesting", r.vesting), ","
        );
        json = string.concat(
            json, _kv("DatanetRegistry", r.datanetRegistry), ",", _kv("ModelRegistry", r.modelRegistry), ",",
            _kv("FeeEscrow", r.feeEscrow), ",", _kv("AttributionSettlement", r.attributionSettlement), "},"
        );
        json = string.concat(json, '"vesting":', _vestingJson(r, c), "}");
        vm.writeFile(path, json);
    }

    /// @dev `{"tge","monthSeconds","grants":[...],"liquid":[...]}`; grant ids follow config order.
    function _vestingJson(Record memory r, DeployConfig memory c) private pure returns (string memory) {
        string memory grants;
        string memory liquid;
        uint256 id = r.firstGrantId;
        for (uint256 i; i < c.allocations.length; ++i) {
            Allocation memory a = c.allocations[i];
            string memory common = string.concat(
                '"bucket":"', a.bucket, '","label":"', a.label, '","beneficiary":"', vm.toString(a.beneficiary),
                '","amount":"', vm.toString(a.amount), '"'
            );
            if (a.vestingMonths == 0) {
                liquid = string.concat(liquid, bytes(liquid).length == 0 ? "" : ",", "{", common, "}");
                continue;
            }
            string memory grant = string.concat(
                '{"id":', vm.toString(id++), ",", common, ',"start":', vm.toString(r.tge), ',"cliff":',
                vm.toString(a.cliffMonths * c.monthSeconds), ',"duration":', vm.toString(a.vestingMonths * c.monthSeconds),
                ',"revocable":', a.revocable ? "true" : "false", "}"
            );
            grants = string.concat(grants, bytes(grants).length == 0 ? "" : ",", grant);
        }
        return string.concat(
            '{"tge":', vm.toString(r.tge), ',"monthSeconds":', vm.toString(c.monthSeconds), ',"grants":[', grants,
            '],"liquid":[', liquid, "]}"
        );
    }

    function _kv(string memory k, address v) private pure returns (string memory) {
        return string.concat('"', k, '":"', vm.toString(v), '"');
    }
}
