// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {DatanetContributions} from "./DatanetContributions.sol";

/// @title DatanetViews
/// @notice Read access to datanets, contributions and parameters of {DatanetRegistry}, with paging.
abstract contract DatanetViews is DatanetContributions {
    /// @inheritdoc IDatanetRegistry
    function datanet(uint256 datanetId) public view returns (Datanet memory) {
        StoredDatanet storage d = _datanet(datanetId);
        return Datanet({
            owner: d.owner,
            minStake: d.minStake,
            createdAt: d.createdAt,
            contributionCount: d.contributionCount,
            totalStaked: d.totalStaked,
            name: d.name,
            metadataURI: d.metadataURI
        });
    }

    /// @inheritdoc IDatanetRegistry
    function datanetCount() external view returns (uint256) {
        return _getDatanetRegistryStorage().datanetCount;
    }

    /// @inheritdoc IDatanetRegistry
    function contribution(uint256 contributionId) external view returns (Contribution memory) {
        StoredContribution storage c = _getDatanetRegistryStorage().contributions[contributionId];
        ContributionStatus status = _statusOf(c);
        if (status == ContributionStatus.None) revert DatanetUnknownContribution(contributionId);
        return Contribution({
            datanetId: c.datanetId,
            contributor: c.contributor,
            recordCount: c.recordCount,
            status: status,
            submittedAt: c.submittedAt,
            weight: c.weight,
            batchRoot: c.batchRoot
        });
    }

    /// @inheritdoc IDatanetRegistry
    function contributionCount() external view returns (uint256) {
        return _getDatanetRegistryStorage().nextContributionId - 1;
    }

    /// @inheritdoc IDatanetRegistry
    function isCurator(uint256 datanetId, address account) external view returns (bool) {
        return _getDatanetRegistryStorage().curators[datanetId][account];
    }

    /// @inheritdoc IDatanetRegistry
    function datanets(uint256 offset, uint256 limit) external view returns (Datanet[] memory page) {
        uint256 count = _getDatanetRegistryStorage().datanetCount;
        uint256 end = offset + limit < count ? offset + limit : count;
        page = new Datanet[](end > offset ? end - offset : 0);
        for (uint256 i; i < page.length; ++i) {
            page[i] = datanet(offset + i + 1);
        }
    }

    /// @inheritdoc IDatanetRegistry
    function contributionsOf(uint256 datanetId, uint256 offset, uint256 limit)
        external
        view
        returns (uint256[] memory ids)
    {
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        uint256 count = _datanet(datanetId).contributionCount;
        uint256 end = offset + limit < count ? offset + limit : count;
        ids = new uint256[](end > offset ? end - offset : 0);
        for (uint256 i; i < ids.length; ++i) {
            uint256 index = offset + i;
            ids[i] = uint64($.datanetContributions[datanetId][index >> 2] >> ((index & 3) << 6));
        }
    }

    /// @inheritdoc IDatanetRegistry
    function stakingToken() external view returns (address) {
        return address(_getDatanetRegistryStorage().token);
    }

    /// @inheritdoc IDatanetRegistry
    function slashShareBps() external view returns (uint16) {
        return _getDatanetRegistryStorage().slashShareBps;
    }

    /// @inheritdoc IDatanetRegistry
    function slashToCurator() external view returns (bool) {
        return _getDatanetRegistryStorage().slashToCurator;
    }

    /// @inheritdoc IDatanetRegistry
    function treasury() external view returns (address) {
        return _getDatanetRegistryStorage().treasury;
    }

    /// @inheritdoc IDatanetRegistry
    function unstakeCooldown() external view returns (uint64) {
        return _getDatanetRegistryStorage().unstakeCooldown;
    }
}
