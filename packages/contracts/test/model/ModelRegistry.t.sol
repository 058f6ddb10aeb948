// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {DatanetRegistry} from "../../src/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../../src/model/ModelRegistry.sol";
import {IModelRegistry} from "../../src/interfaces/IModelRegistry.sol";
import {IDatanetRegistry} from "../../src/interfaces/IDatanetRegistry.sol";

/// @notice Base models, adapters, versions, ownership, delisting and upgrades.
contract ModelRegistryTest is Test {
    // stand-ins for sha256 file hashes (keccak256 folds at compile time; a sha256 precompile call would eat vm.prank)
    bytes32 internal constant BASE_HASH = keccak256("base.gguf");
    bytes32 internal constant LORA_HASH = keccak256("lora-v1.gguf");

    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    address internal governance = makeAddr("timelock");
    address internal modelOwner = makeAddr("model owner");
    uint256 internal baseId;
    uint256[] internal trainedOn;

    function setUp() public {
        OpenToken open = new OpenToken(address(this));
        DatanetRegistry dImpl = new DatanetRegistry();
        datanets = DatanetRegistry(
            address(
                new ERC1967Proxy(
                    address(dImpl),
                    abi.encodeCall(DatanetRegistry.initialize, (open, governance, governance, 1_000, false, 1 days))
                )
            )
        );
        datanets.createDatanet("a", "u", 0, new address[](0));
        datanets.createDatanet("b", "u", 0, new address[](0));
        ModelRegistry mImpl = new ModelRegistry();
        models = ModelRegistry(
            address(
                new ERC1967Proxy(
                    address(mImpl),
                    abi.encodeCall(ModelRegistry.initialize, (IDatanetRegistry(address(datanets)), governance))
                )
            )
        );
        baseId = models.registerBaseModel("llama-3.2-1b-q4", BASE_HASH, "ipfs://base");
        trainedOn = [uint256(1), 2];
    }

    function _register() internal returns (uint256) {
        vm.prank(modelOwner);
        return models.registerAdapter(baseId, "med-lora", LORA_HASH, "ipfs://lora1", 16, trainedOn, 2e15);
    }

    function test_storageSlot_isErc7201() public pure {
        bytes32 expected =
            keccak256(abi.encode(uint256(keccak256("openledger.storage.ModelRegistry")) - 1)) & ~bytes32(uint256(0xff));
        assertEq(expected, 0xcbe6ec4a17d7f9d3c5d1a39a9242e27975e309a89d123fc696d0e32b5bf57d00);
    }

    function test_registerBaseModel_storesAndEmits() public {
        vm.expectEmit(address(models));
        emit IModelRegistry.BaseModelRegistered(2, address(this), "qwen", bytes32(uint256(1)), "ipfs://q");
        uint256 id = models.registerBaseModel("qwen", bytes32(uint256(1)), "ipfs://q");
        IModelRegistry.BaseModel memory b = models.baseModel(id);
        assertEq(b.owner, address(this));
        assertEq(b.fileHash, bytes32(uint256(1)));
        assertEq(b.name, "qwen");
        assertEq(b.uri, "ipfs://q");
        assertEq(models.baseModelCount(), 2);
        assertEq(models.datanetRegistry(), address(datanets));
    }

    function test_registerBaseModel_revertsOnMissingField() public {
        vm.expectRevert(IModelRegistry.ModelInvalidInput.selector);
        models.registerBaseModel("", BASE_HASH, "u");
        vm.expectRevert(IModelRegistry.ModelInvalidInput.selector);
        models.registerBaseModel("x", bytes32(0), "u");
        vm.expectRevert(IModelRegistry.ModelInvalidInput.selector);
        models.registerBaseModel("x", BASE_HASH, "");
    }

    function test_registerAdapter_storesVersionOne() public {
        vm.expectEmit(address(models));
        emit IModelRegistry.AdapterRegistered(1, baseId, modelOwner, "med-lora");
        vm.expectEmit(address(models));
        emit IModelRegistry.AdapterVersionPublished(1, 1, LORA_HASH, "ipfs://lora1", 16, trainedOn, 2e15);
        uint256 id = _register();
        IModelRegistry.Adapter memory a = models.adapter(id);
        assertEq(a.owner, modelOwner);
        assertEq(a.baseModelId, baseId);
        assertEq(a.latestVersion, 1);
        assertEq(a.name, "med-lora");
        IModelRegistry.AdapterVersion memory v = models.latestVersion(id);
        assertEq(v.fileHash, LORA_HASH);
        assertEq(v.rank, 16);
        assertEq(v.pricePer1kTokens, 2e15);
        assertEq(v.publishedAt, block.timestamp);
        assertEq(v.datanetIds, trainedOn);
        assertEq(models.adapterCount(), 1);
    }

    function test_registerAdapter_revertsOnUnknownDatanet() public {
        trainedOn.push(3);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelUnknownDatanet.selector, 3));
        _register();
    }

    function test_registerAdapter_revertsOnDuplicateOrNoDatanet() public {
        trainedOn[1] = 1;
        vm.expectRevert(IModelRegistry.ModelInvalidInput.selector);
        _register();
        delete trainedOn;
        vm.expectRevert(IModelRegistry.ModelInvalidInput.selector);
        _register();
    }

    function test_registerAdapter_revertsOnUnknownOrDelistedBase() public {
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelUnknownBase.selector, 9));
        models.registerAdapter(9, "x", LORA_HASH, "u", 8, trainedOn, 0);
        vm.prank(governance);
        models.setBaseModelDelisted(baseId, true);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelDelisted.selector, baseId));
        _register();
    }

    function test_registerAdapter_revertsOnZeroRank() public {
        vm.expectRevert(IModelRegistry.ModelInvalidInput.selector);
        models.registerAdapter(baseId, "x", LORA_HASH, "u", 0, trainedOn, 0);
    }

    function test_publishVersion_keepsHistory() public {
        uint256 id = _register();
        uint256[] memory only2 = new uint256[](1);
        only2[0] = 2;
        vm.prank(modelOwner);
        uint32 version = models.publishVersion(id, keccak256("lora-v2.gguf"), "ipfs://lora2", 32, only2, 3e15);
        assertEq(version, 2);
        assertEq(models.adapter(id).latestVersion, 2);
        assertEq(models.adapterVersion(id, 1).fileHash, LORA_HASH);
        assertEq(models.adapterVersion(id, 2).fileHash, keccak256("lora-v2.gguf"));
        assertEq(models.latestVersion(id).datanetIds, only2);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelUnknownVersion.selector, id, 3));
        models.adapterVersion(id, 3);
    }

    function test_publishVersion_revertsIfNotOwner() public {
        uint256 id = _register();
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelNotOwner.selector, address(this)));
        models.publishVersion(id, LORA_HASH, "u", 8, trainedOn, 0);
    }

    function test_publishVersion_revertsIfDelisted() public {
        uint256 id = _register();
        vm.prank(governance);
        models.setAdapterDelisted(id, true);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelDelisted.selector, id));
        vm.prank(modelOwner);
        models.publishVersion(id, LORA_HASH, "u", 8, trainedOn, 0);
    }

    function test_setPrice_changesLatestVersion() public {
        uint256 id = _register();
        vm.expectEmit(address(models));
        emit IModelRegistry.AdapterPriceChanged(id, 1, 5e15);
        vm.prank(modelOwner);
        models.setPrice(id, 5e15);
        assertEq(models.latestVersion(id).pricePer1kTokens, 5e15);
    }

    function test_setDeprecated_byOwnerOnly() public {
        uint256 id = _register();
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelNotOwner.selector, address(this)));
        models.setDeprecated(id, true);
        vm.expectEmit(address(models));
        emit IModelRegistry.AdapterDeprecated(id, true);
        vm.prank(modelOwner);
        models.setDeprecated(id, true);
        assertTrue(models.adapter(id).deprecated);
    }

    function test_transferAdapterOwnership_movesControl() public {
        uint256 id = _register();
        address next = makeAddr("next");
        vm.expectEmit(address(models));
        emit IModelRegistry.AdapterOwnershipTransferred(id, modelOwner, next);
        vm.prank(modelOwner);
        models.transferAdapterOwnership(id, next);
        assertEq(models.adapter(id).owner, next);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelNotOwner.selector, modelOwner));
        vm.prank(modelOwner);
        models.setPrice(id, 1);
        vm.expectRevert(IModelRegistry.ModelInvalidInput.selector);
        vm.prank(next);
        models.transferAdapterOwnership(id, address(0));
    }

    function test_delist_onlyGovernance() public {
        uint256 id = _register();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, modelOwner, bytes32(0))
        );
        vm.prank(modelOwner);
        models.setAdapterDelisted(id, true);
        vm.expectEmit(address(models));
        emit IModelRegistry.AdapterDelisted(id, true);
        vm.prank(governance);
        models.setAdapterDelisted(id, true);
        assertTrue(models.adapter(id).delisted);
        vm.expectEmit(address(models));
        emit IModelRegistry.BaseModelDelisted(baseId, true);
        vm.prank(governance);
        models.setBaseModelDelisted(baseId, true);
        assertTrue(models.baseModel(baseId).delisted);
    }

    function test_views_revertOnUnknownIds() public {
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelUnknownAdapter.selector, 5));
        models.adapter(5);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelUnknownAdapter.selector, 5));
        models.latestVersion(5);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelUnknownBase.selector, 5));
        models.baseModel(5);
    }

    function test_upgrade_onlyGovernance() public {
        uint256 id = _register();
        ModelRegistry next = new ModelRegistry();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, modelOwner, bytes32(0))
        );
        vm.prank(modelOwner);
        models.upgradeToAndCall(address(next), "");
        vm.prank(governance);
        models.upgradeToAndCall(address(next), "");
        assertEq(models.adapter(id).owner, modelOwner);
    }

    function testFuzz_registerAdapter_validatesEveryDatanetId(uint256 id) public {
        trainedOn = [id];
        if (id == 0 || id > 2) {
            vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelUnknownDatanet.selector, id));
            _register();
        } else {
            assertEq(models.latestVersion(_register()).datanetIds[0], id);
        }
    }
}
