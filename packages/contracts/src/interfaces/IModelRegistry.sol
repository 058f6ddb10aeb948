// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IModelRegistry
/// @notice Base models (GGUF files) and the LoRA adapters trained on datanets that run over them.
interface IModelRegistry {
    struct BaseModel {
        address owner;
        bool delisted;
        bytes32 fileHash; // sha256 of the GGUF file
        string name;
        string uri;
    }

    struct Adapter {
        address owner;
        uint64 baseModelId;
        uint32 latestVersion; // versions are 1-based
        bool deprecated;
        bool delisted;
        string name;
    }

    struct AdapterVersion {
        bytes32 fileHash; // sha256 of the adapter GGUF file
        uint16 rank;
        uint128 pricePer1kTokens; // OPEN wei per 1,000 tokens
        uint64 publishedAt;
        string uri;
        uint256[] datanetIds;
    }

    error ModelUnknownBase(uint256 baseModelId);
    error ModelUnknownAdapter(uint256 adapterId);
    error ModelUnknownVersion(uint256 adapterId, uint32 version);
    error ModelNotOwner(address account);
    error ModelInvalidInput();
    error ModelUnknownDatanet(uint256 datanetId);
    error ModelDelisted(uint256 id);

    event BaseModelRegistered(uint256 indexed baseModelId, address indexed owner, string name, bytes32 fileHash, string uri);
    event AdapterRegistered(uint256 indexed adapterId, uint256 indexed baseModelId, address indexed owner, string name);
    event AdapterVersionPublished(
        uint256 indexed adapterId,
        uint32 indexed version,
        bytes32 fileHash,
        string uri,
        uint16 rank,
        uint256[] datanetIds,
        uint256 pricePer1kTokens
    );
    event AdapterPriceChanged(uint256 indexed adapterId, uint32 indexed version, uint256 pricePer1kTokens);
    event AdapterDeprecated(uint256 indexed adapterId, bool deprecated);
    event AdapterOwnershipTransferred(uint256 indexed adapterId, address indexed previousOwner, address indexed newOwner);
    event BaseModelDelisted(uint256 indexed baseModelId, bool delisted);
    event AdapterDelisted(uint256 indexed adapterId, bool delisted);

    function registerBaseModel(string calldata name, bytes32 fileHash, string calldata uri) external returns (uint256 baseModelId);

    /// @notice Registers an adapter and its version 1. Emits {AdapterRegistered} and {AdapterVersionPublished}.
    function registerAdapter(
        uint256 baseModelId,
        string calldata name,
        bytes32 fileHash,
        string calldata uri,
        uint16 rank,
        uint256[] calldata datanetIds,
        uint128 pricePer1kTokens
    ) external returns (uint256 adapterId);

    /// @notice Publishes a new version of an adapter the caller owns. Emits {AdapterVersionPublished}.
    function publishVersion(
        uint256 adapterId,
        bytes32 fileHash,
        string calldata uri,
        uint16 rank,
        uint256[] calldata datanetIds,
        uint128 pricePer1kTokens
    ) external returns (uint32 version);

    function setPrice(uint256 adapterId, uint128 pricePer1kTokens) external;
    function setDeprecated(uint256 adapterId, bool deprecated) external;
    function transferAdapterOwnership(uint256 adapterId, address newOwner) external;
    /// @notice Governance only.
    function setBaseModelDelisted(uint256 baseModelId, bool delisted) external;
    /// @notice Governance only.
    function setAdapterDelisted(uint256 adapterId, bool delisted) external;

    function baseModel(uint256 baseModelId) external view returns (BaseModel memory);
    function baseModelCount() external view returns (uint256);
    function adapter(uint256 adapterId) external view returns (Adapter memory);
    function adapterCount() external view returns (uint256);
    function adapterVersion(uint256 adapterId, uint32 version) external view returns (AdapterVersion memory);
    /// @notice The latest version (what the gateway serves).
    function latestVersion(uint256 adapterId) external view returns (AdapterVersion memory);
    /// @notice The DatanetRegistry that adapter datanet ids are checked against.
    function datanetRegistry() external view returns (address);
}
