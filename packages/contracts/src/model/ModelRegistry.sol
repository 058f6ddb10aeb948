// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {ModelRegistryBase} from "./ModelRegistryBase.sol";

/// @title ModelRegistry
/// @notice Base models and LoRA adapters with versioned files, prices and the datanets they were
/// trained on. Only an entry's owner changes it; governance ({DEFAULT_ADMIN_ROLE}, the Timelock)
/// delists and upgrades.
/// @dev UUPS behind an ERC1967 proxy, ERC-7201 namespaced storage. Ids start at 1.
contract ModelRegistry is Initializable, ModelRegistryBase, UUPSUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @param datanets_ The DatanetRegistry adapter datanet ids are validated against.
    /// @param governance Receives {DEFAULT_ADMIN_ROLE} (the Timelock).
    function initialize(IDatanetRegistry datanets_, address governance) external initializer {
        __ModelRegistry_init(datanets_, governance);
    }

    function __ModelRegistry_init(IDatanetRegistry datanets_, address governance) internal onlyInitializing {
        __AccessControl_init();
        __ModelRegistry_init_unchained(datanets_, governance);
    }

    function __ModelRegistry_init_unchained(IDatanetRegistry datanets_, address governance) internal onlyInitializing {
        if (address(datanets_) == address(0) || governance == address(0)) revert ModelInvalidInput();
        _getModelRegistryStorage().datanets = datanets_;
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
    }

    /// @inheritdoc IModelRegistry
    function registerBaseModel(string calldata name, bytes32 fileHash, string calldata uri)
        external
        returns (uint256 baseModelId)
    {
        if (bytes(name).length == 0 || fileHash == bytes32(0) || bytes(uri).length == 0) {
            revert ModelInvalidInput();
        }
        ModelRegistryStorage storage $ = _getModelRegistryStorage();
        baseModelId = ++$.baseModelCount;
        $.baseModels[baseModelId] =
            BaseModel({owner: msg.sender, delisted: false, fileHash: fileHash, name: name, uri: uri});
        emit BaseModelRegistered(baseModelId, msg.sender, name, fileHash, uri);
    }

    /// @inheritdoc IModelRegistry
    function registerAdapter(
        uint256 baseModelId,
        string calldata name,
        bytes32 fileHash,
        string calldata uri,
        uint16 rank,
        uint256[] calldata datanetIds,
        uint128 pricePer1kTokens
    ) external returns (uint256 adapterId) {
        adapterId = _createAdapter(baseModelId, name);
        _publish(adapterId, fileHash, uri, rank, datanetIds, pricePer1kTokens);
    }

    /// @inheritdoc IModelRegistry
    function publishVersion(
        uint256 adapterId,
        bytes32 fileHash,
        string calldata uri,
        uint16 rank,
        uint256[] calldata datanetIds,
        uint128 pricePer1kTokens
    ) external returns (uint32 version) {
        Adapter storage a = _ownedAdapter(adapterId);
        if (a.delisted) revert ModelDelisted(adapterId);
        if (_getModelRegistryStorage().baseModels[a.baseModelId].delisted) revert ModelDelisted(a.baseModelId);
        return _publish(adapterId, fileHash, uri, rank, datanetIds, pricePer1kTokens);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Changes the latest version's price. Emits {AdapterPriceChanged}.
    function setPrice(uint256 adapterId, uint128 pricePer1kTokens) external {
        Adapter storage a = _ownedAdapter(adapterId);
        uint32 version = a.latestVersion;
        _getModelRegistryStorage().versions[adapterId][version].pricePer1kTokens = pricePer1kTokens;
        emit AdapterPriceChanged(adapterId, version, pricePer1kTokens);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {AdapterDeprecated}.
    function setDeprecated(uint256 adapterId, bool deprecated) external {
        _ownedAdapter(adapterId).deprecated = deprecated;
        emit AdapterDeprecated(adapterId, deprecated);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {AdapterOwnershipTransferred}.
    function transferAdapterOwnership(uint256 adapterId, address newOwner) external {
        if (newOwner == address(0)) revert ModelInvalidInput();
        Adapter storage a = _ownedAdapter(adapterId);
        a.owner = newOwner;
        emit AdapterOwnershipTransferred(adapterId, msg.sender, newOwner);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {BaseModelDelisted}.
    function setBaseModelDelisted(uint256 baseModelId, bool delisted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _baseModel(baseModelId).delisted = delisted;
        emit BaseModelDelisted(baseModelId, delisted);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {AdapterDelisted}.
    function setAdapterDelisted(uint256 adapterId, bool delisted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _adapter(adapterId).delisted = delisted;
        emit AdapterDelisted(adapterId, delisted);
    }

    function _createAdapter(uint256 baseModelId, string calldata name) private returns (uint256 adapterId) {
        if (_baseModel(baseModelId).delisted) revert ModelDelisted(baseModelId);
        if (bytes(name).length == 0) revert ModelInvalidInput();
        ModelRegistryStorage storage $ = _getModelRegistryStorage();
        adapterId = ++$.adapterCount;
        Adapter storage a = $.adapters[adapterId];
        a.owner = msg.sender;
        // forge-lint: disable-next-line(unsafe-typecast)
        a.baseModelId = uint64(baseModelId); // ids are sequential, far below 2^64
        a.name = name;
        emit AdapterRegistered(adapterId, baseModelId, msg.sender, name);
    }

    function _publish(
        uint256 adapterId,
        bytes32 fileHash,
        string calldata uri,
        uint16 rank,
        uint256[] calldata datanetIds,
        uint128 pricePer1kTokens
    ) private returns (uint32 version) {
        if (fileHash == bytes32(0) || bytes(uri).length == 0 || rank == 0) revert ModelInvalidInput();
        _checkDatanets(datanetIds);
        version = ++_getModelRegistryStorage().adapters[adapterId].latestVersion;
        _getModelRegistryStorage().versions[adapterId][version] = AdapterVersion({
            fileHash: fileHash,
            rank: rank,
            pricePer1kTokens: pricePer1kTokens,
            publishedAt: uint64(block.timestamp),
            uri: uri,
            datanetIds: datanetIds
        });
        emit AdapterVersionPublished(adapterId, version, fileHash, uri, rank, datanetIds, pricePer1kTokens);
    }

    /// @dev Only governance (the Timelock) upgrades.
    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
