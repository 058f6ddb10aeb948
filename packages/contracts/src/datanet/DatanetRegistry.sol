// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {DatanetViews} from "./DatanetViews.sol";

/// @title DatanetRegistry
/// @notice Community datanets with staking, relayed batch submissions, curation and slashing.
/// @dev UUPS behind an ERC1967 proxy; only governance ({DEFAULT_ADMIN_ROLE}, the Timelock) upgrades and
/// sets parameters. State lives in ERC-7201 namespaced storage ({DatanetRegistryBase}).
contract DatanetRegistry is Initializable, DatanetViews, UUPSUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @param token OPEN, the staking token.
    /// @param governance Receives {DEFAULT_ADMIN_ROLE} (the Timelock): parameters, slashing, upgrades.
    /// @param treasury_ Receives slashed stake (unless it goes to the curator).
    /// @param slashShareBps_ Share of a contributor's stake a malicious rejection slashes.
    /// @param slashToCurator_ Whether that share goes to the rejecting curator instead of the treasury.
    /// @param cooldown The unstake cooldown in seconds.
    function initialize(
        IERC20 token,
        address governance,
        address treasury_,
        uint16 slashShareBps_,
        bool slashToCurator_,
        uint64 cooldown
    ) external initializer {
        __DatanetRegistry_init(token, governance, treasury_, slashShareBps_, slashToCurator_, cooldown);
    }

    function __DatanetRegistry_init(
        IERC20 token,
        address governance,
        address treasury_,
        uint16 slashShareBps_,
        bool slashToCurator_,
        uint64 cooldown
    ) internal onlyInitializing {
        __AccessControl_init();
        __EIP712_init("DatanetRegistry", "1");
        __Nonces_init();
        __DatanetRegistry_init_unchained(token, governance, treasury_, slashShareBps_, slashToCurator_, cooldown);
    }

    function __DatanetRegistry_init_unchained(
        IERC20 token,
        address governance,
        address treasury_,
        uint16 slashShareBps_,
        bool slashToCurator_,
        uint64 cooldown
    ) internal onlyInitializing {
        if (address(token) == address(0)) revert DatanetInvalidParameter("token", 0);
        if (governance == address(0)) revert DatanetInvalidParameter("governance", 0);
        _getDatanetRegistryStorage().token = token;
        _getDatanetRegistryStorage().nextContributionId = 1;
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        _setSlashParameters(slashShareBps_, slashToCurator_, treasury_);
        _setUnstakeCooldown(cooldown);
    }

    /// @inheritdoc IDatanetRegistry
    function createDatanet(
        string calldata name,
        string calldata metadataURI,
        uint96 minStake,
        address[] calldata curators
    ) external returns (uint256 datanetId) {
        if (bytes(name).length == 0) revert DatanetInvalidInput();
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        datanetId = ++$.datanetCount;
        if (datanetId > type(uint32).max) revert DatanetInvalidParameter("datanetCount", datanetId);
        StoredDatanet storage d = $.datanets[datanetId];
        d.owner = msg.sender;
        d.minStake = minStake;
        d.createdAt = uint64(block.timestamp);
        d.name = name;
        d.metadataURI = metadataURI;
        emit DatanetCreated(datanetId, msg.sender, name, metadataURI, minStake);
        for (uint256 i; i < curators.length; ++i) {
            _setCurator(datanetId, curators[i], true);
        }
    }

    /// @inheritdoc IDatanetRegistry
    function updateDatanet(uint256 datanetId, string calldata metadataURI, uint96 minStake) external {
        StoredDatanet storage d = _checkOwnerOrGovernance(datanetId);
        d.metadataURI = metadataURI;
        d.minStake = minStake;
        emit DatanetUpdated(datanetId, metadataURI, minStake);
    }

    /// @inheritdoc IDatanetRegistry
    function setCurator(uint256 datanetId, address curator, bool enabled) external {
        _checkOwnerOrGovernance(datanetId);
        _setCurator(datanetId, curator, enabled);
    }

    /// @inheritdoc IDatanetRegistry
    function setSlashParameters(uint16 slashShareBps_, bool slashToCurator_, address treasury_)
        external
        onlyGovernance
    {
        _setSlashParameters(slashShareBps_, slashToCurator_, treasury_);
    }

    /// @inheritdoc IDatanetRegistry
    function setUnstakeCooldown(uint64 cooldown) external onlyGovernance {
        _setUnstakeCooldown(cooldown);
    }

    function _setCurator(uint256 datanetId, address curator, bool enabled) private {
        if (curator == address(0)) revert DatanetInvalidInput();
        _getDatanetRegistryStorage().curators[datanetId][curator] = enabled;
        emit CuratorSet(datanetId, curator, enabled);
    }

    function _setSlashParameters(uint16 slashShareBps_, bool slashToCurator_, address treasury_) private {
        if (slashShareBps_ > MAX_SLASH_SHARE_BPS) revert DatanetInvalidParameter("slashShareBps", slashShareBps_);
        if (treasury_ == address(0)) revert DatanetInvalidParameter("treasury", 0);
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        $.slashShareBps = slashShareBps_;
        $.slashToCurator = slashToCurator_;
        $.treasury = treasury_;
        emit SlashParametersSet(slashShareBps_, slashToCurator_, treasury_);
    }

    function _setUnstakeCooldown(uint64 cooldown) private {
        if (cooldown < MIN_UNSTAKE_COOLDOWN || cooldown > MAX_UNSTAKE_COOLDOWN) {
            revert DatanetInvalidParameter("unstakeCooldown", cooldown);
        }
        _getDatanetRegistryStorage().unstakeCooldown = cooldown;
        emit UnstakeCooldownSet(cooldown);
    }

    function _checkOwnerOrGovernance(uint256 datanetId) private view returns (StoredDatanet storage d) {
        d = _datanet(datanetId);
        if (d.owner != msg.sender && !_isGovernance(msg.sender)) revert DatanetNotOwner(datanetId, msg.sender);
    }

    /// @dev Only governance (the Timelock) upgrades.
    function _authorizeUpgrade(address) internal override onlyGovernance {}
}
