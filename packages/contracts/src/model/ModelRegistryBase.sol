// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";

/// @title ModelRegistryBase
/// @notice ERC-7201 namespaced storage, lookups, validation and views of {ModelRegistry}.
abstract contract ModelRegistryBase is IModelRegistry, AccessControlUpgradeable {
    /// @notice At most this many datanets per adapter version.
    uint256 public constant MAX_DATANETS = 32;

    /// @custom:storage-location erc7201:openledger.storage.ModelRegistry
    struct ModelRegistryStorage {
        IDatanetRegistry datanets;
        uint256 baseModelCount;
        uint256 adapterCount;
        mapping(uint256 baseModelId => BaseModel) baseModels;
        mapping(uint256 adapterId => Adapter) adapters;
        mapping(uint256 adapterId => mapping(uint32 version => AdapterVersion)) versions;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("openledger.storage.ModelRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant MODEL_REGISTRY_STORAGE =
        0xcbe6ec4a17d7f9d3c5d1a39a9242e27975e309a89d123fc696d0e32b5bf57d00;

    /// @inheritdoc IModelRegistry
    function baseModel(uint256 baseModelId) external view returns (BaseModel memory) {
        return _baseModel(baseModelId);
    }

    /// @inheritdoc IModelRegistry
    function baseModelCount() external view returns (uint256) {
        return _getModelRegistryStorage().baseModelCount;
    }

    /// @inheritdoc IModelRegistry
    function adapter(uint256 adapterId) external view returns (Adapter memory) {
        return _adapter(adapterId);
    }

    /// @inheritdoc IModelRegistry
    function adapterCount() external view returns (uint256) {
        return _getModelRegistryStorage().adapterCount;
    }

    /// @inheritdoc IModelRegistry
    function adapterVersion(uint256 adapterId, uint32 version) external view returns (AdapterVersion memory) {
        Adapter storage a = _adapter(adapterId);
        if (version == 0 || version > a.latestVersion) revert ModelUnknownVersion(adapterId, version);
        return _getModelRegistryStorage().versions[adapterId][version];
    }

    /// @inheritdoc IModelRegistry
    function latestVersion(uint256 adapterId) external view returns (AdapterVersion memory) {
        return _getModelRegistryStorage().versions[adapterId][_adapter(adapterId).latestVersion];
    }

    /// @inheritdoc IModelRegistry
    function datanetRegistry() external view returns (address) {
        return address(_getModelRegistryStorage().datanets);
    }

    /// @dev 1 to {MAX_DATANETS} distinct ids, each an existing datanet.
    function _checkDatanets(uint256[] calldata ids) internal view {
        if (ids.length == 0 || ids.length > MAX_DATANETS) revert ModelInvalidInput();
        uint256 count = _getModelRegistryStorage().datanets.datanetCount();
        for (uint256 i; i < ids.length; ++i) {
            if (ids[i] == 0 || ids[i] > count) revert ModelUnknownDatanet(ids[i]);
            for (uint256 j; j < i; ++j) {
                if (ids[j] == ids[i]) revert ModelInvalidInput();
            }
        }
    }

    function _baseModel(uint256 baseModelId) internal view returns (BaseModel storage b) {
        b = _getModelRegistryStorage().baseModels[baseModelId];
        if (b.owner == address(0)) revert ModelUnknownBase(baseModelId);
    }

    function _adapter(uint256 adapterId) internal view returns (Adapter storage a) {
        a = _getModelRegistryStorage().adapters[adapterId];
        if (a.owner == address(0)) revert ModelUnknownAdapter(adapterId);
    }

    function _ownedAdapter(uint256 adapterId) internal view returns (Adapter storage a) {
        a = _adapter(adapterId);
        if (a.owner != msg.sender) revert ModelNotOwner(msg.sender);
    }

    function _getModelRegistryStorage() internal pure returns (ModelRegistryStorage storage $) {
        assembly {
            $.slot := MODEL_REGISTRY_STORAGE
        }
    }
}
