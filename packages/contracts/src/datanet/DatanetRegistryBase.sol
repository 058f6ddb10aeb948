// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";

/// @title DatanetRegistryBase
/// @notice ERC-7201 namespaced storage, governance checks and the slashing primitive shared by the
/// pieces of {DatanetRegistry}. Governance is the {DEFAULT_ADMIN_ROLE} holder (the Timelock).
abstract contract DatanetRegistryBase is IDatanetRegistry, AccessControlUpgradeable {
    using SafeERC20 for IERC20;

    /// @dev A datanet as stored: slot 0 owner+minStake, slot 1 createdAt+totalStaked+contributionCount.
    struct StoredDatanet {
        address owner;
        uint96 minStake;
        uint64 createdAt;
        uint128 totalStaked; // active stake only
        uint64 contributionCount;
        string name;
        string metadataURI;
    }

    /// @dev A contribution as stored. A submission writes slots 0 and 1 only; `status` 0 means Pending
    /// (the enum value otherwise) and `weight` are written at review.
    struct StoredContribution {
        address contributor;
        uint32 datanetId;
        uint32 recordCount;
        uint32 submittedAt; // seconds, fits until 2106
        bytes32 batchRoot;
        uint8 status;
        uint96 weight;
    }

    /// @custom:storage-location erc7201:openledger.storage.DatanetRegistry
    struct DatanetRegistryStorage {
        IERC20 token;
        address treasury;
        uint16 slashShareBps;
        bool slashToCurator;
        uint64 unstakeCooldown;
        uint256 datanetCount;
        /// @dev The id the next contribution gets; starts at 1 (set at initialization, so the first
        /// submission updates a non-zero slot rather than creating one).
        uint256 nextContributionId;
        mapping(uint256 datanetId => StoredDatanet) datanets;
        mapping(uint256 contributionId => StoredContribution) contributions;
        /// @dev Contribution ids of a datanet, four uint64 per slot (slot index => packed ids).
        mapping(uint256 datanetId => mapping(uint256 slot => uint256 packedIds)) datanetContributions;
        mapping(uint256 datanetId => mapping(address account => StakeInfo)) stakes;
        mapping(uint256 datanetId => mapping(address account => bool)) curators;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("openledger.storage.DatanetRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant DATANET_REGISTRY_STORAGE =
        0x89e21eb98a99ad74696ff9cc7f797d53cf7230fa3926bb449dd08a57f81bef00;

    /// @notice The largest share of a contributor's stake a malicious rejection can slash: 50%.
    uint16 public constant MAX_SLASH_SHARE_BPS = 5_000;
    uint64 public constant MIN_UNSTAKE_COOLDOWN = 1 hours;
    uint64 public constant MAX_UNSTAKE_COOLDOWN = 90 days;

    function _getDatanetRegistryStorage() internal pure returns (DatanetRegistryStorage storage $) {
        assembly {
            $.slot := DATANET_REGISTRY_STORAGE
        }
    }

    modifier onlyGovernance() {
        _checkRole(DEFAULT_ADMIN_ROLE);
        _;
    }

    function _isGovernance(address account) internal view returns (bool) {
        return hasRole(DEFAULT_ADMIN_ROLE, account);
    }

    /// @dev The stored datanet, reverting with {DatanetUnknown} when it does not exist.
    function _datanet(uint256 datanetId) internal view returns (StoredDatanet storage d) {
        d = _getDatanetRegistryStorage().datanets[datanetId];
        if (d.owner == address(0)) revert DatanetUnknown(datanetId);
    }

    /// @dev Reverts unless `account` is a curator of the datanet holding at least its minimum stake.
    function _checkCurator(uint256 datanetId, address account) internal view {
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        if (!$.curators[datanetId][account]) revert DatanetNotCurator(datanetId, account);
        uint256 minStake = $.datanets[datanetId].minStake;
        uint256 staked = $.stakes[datanetId][account].amount;
        if (staked < minStake) revert DatanetInsufficientStake(datanetId, account, staked, minStake);
    }

    /// @dev Takes up to `amount` from the account's active stake, then from its pending unstake, and sends
    /// it to `recipient`. Returns what was slashed. Emits {Slashed} when non-zero.
    function _slash(uint256 datanetId, address account, uint256 amount, address recipient)
        internal
        returns (uint256 slashed)
    {
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        StakeInfo storage s = $.stakes[datanetId][account];
        uint256 active = s.amount;
        uint256 pending = s.pendingUnstake;
        slashed = amount < active + pending ? amount : active + pending;
        if (slashed == 0) return 0;
        uint256 fromActive = slashed < active ? slashed : active;
        // casting is safe: both results are at most the uint128 values they are taken from
        // forge-lint: disable-next-line(unsafe-typecast)
        s.amount = uint128(active - fromActive);
        // forge-lint: disable-next-line(unsafe-typecast)
        s.pendingUnstake = uint128(pending - (slashed - fromActive));
        // forge-lint: disable-next-line(unsafe-typecast)
        $.datanets[datanetId].totalStaked -= uint128(fromActive);
        $.token.safeTransfer(recipient, slashed);
        emit Slashed(datanetId, account, slashed, recipient);
    }

    /// @dev The malicious-rejection slash of `account`: {slashShareBps} of its active plus pending stake,
    /// to the reviewing curator when {slashToCurator} and the reviewer is a curator, else the treasury.
    function _slashMalicious(uint256 datanetId, address account, address reviewer) internal {
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        StakeInfo storage s = $.stakes[datanetId][account];
        uint256 amount = (uint256(s.amount) + s.pendingUnstake) * $.slashShareBps / 10_000;
        address recipient = $.slashToCurator && $.curators[datanetId][reviewer] ? reviewer : $.treasury;
        _slash(datanetId, account, amount, recipient);
    }
}
