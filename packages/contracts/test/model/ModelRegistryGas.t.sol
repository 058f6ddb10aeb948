// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {DatanetRegistry} from "../../src/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../../src/model/ModelRegistry.sol";
import {IDatanetRegistry} from "../../src/interfaces/IDatanetRegistry.sol";

/// @notice Whole-transaction gas (isolated: receipt gas) of registering and versioning an adapter -> snapshots/Model.json.
contract ModelRegistryGasTest is Test {
    ModelRegistry internal models;

    function setUp() public {
        address gov = makeAddr("timelock");
        DatanetRegistry datanets = DatanetRegistry(
            address(
                new ERC1967Proxy(
                    address(new DatanetRegistry()),
                    abi.encodeCall(
                        DatanetRegistry.initialize, (new OpenToken(address(this)), gov, gov, 0, false, 1 days)
                    )
                )
            )
        );
        datanets.createDatanet("a", "u", 0, new address[](0));
        datanets.createDatanet("b", "u", 0, new address[](0));
        models = ModelRegistry(
            address(
                new ERC1967Proxy(
                    address(new ModelRegistry()),
                    abi.encodeCall(ModelRegistry.initialize, (IDatanetRegistry(address(datanets)), gov))
                )
            )
        );
        models.registerBaseModel("base", keccak256("base"), "ipfs://base");
    }

    /// forge-config: default.isolate = true
    function test_gas_registerAdapterAndPublishVersion() public {
        uint256[] memory ids = new uint256[](2);
        (ids[0], ids[1]) = (1, 2);
        uint256 id = models.registerAdapter(1, "med-lora", keccak256("v1"), "ipfs://bafy-lora-v1", 16, ids, 1e15);
        vm.snapshotValue("Model", "registerAdapter_2datanets_txGas", vm.lastCallGas().gasTotalUsed);
        models.publishVersion(id, keccak256("v2"), "ipfs://bafy-lora-v2", 16, ids, 1e15);
        vm.snapshotValue("Model", "publishVersion_2datanets_txGas", vm.lastCallGas().gasTotalUsed);
        assertEq(models.adapter(id).latestVersion, 2);
    }
}
