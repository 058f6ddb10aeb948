// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {DatanetRegistryBase} from "./DatanetRegistryBase.sol";

/// @title DatanetStaking
/// @notice Staking to a datanet, unstaking through a cooldown during which the stake stays slashable,
/// and governance slashing of any staker (contributors and curators alike).
abstract contract DatanetStaking is DatanetRegistryBase {
    using SafeERC20 for IERC20;

    /// @inheritdoc IDatanetRegistry
    function stake(uint256 datanetId, uint256 amount) external {
        _stake(datanetId, msg.sender, amount);
    }

    /// @inheritdoc IDatanetRegistry
    /// @dev A failed permit is ignored (it may have been front-run); the transfer then needs the allowance.
    function stakeWithPermit(uint256 datanetId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        address token = address(_getDatanetRegistryStorage().token);
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _stake(datanetId, msg.sender, amount);
    }

    /// @inheritdoc IDatanetRegistry
    /// @dev A new request adds to the pending amount and restarts the cooldown for all of it.
    function requestUnstake(uint256 datanetId, uint256 amount) external {
        if (amount == 0) revert DatanetInvalidInput();
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        StoredDatanet storage d = _datanet(datanetId);
        StakeInfo storage s = $.stakes[datanetId][msg.sender];
        uint256 active = s.amount;
        if (amount > active) revert DatanetUnstakeTooLarge(amount, active);
        uint64 unlockAt = uint64(block.timestamp) + $.unstakeCooldown;
        // casting is safe: amount <= active, a uint128
        // forge-lint: disable-next-line(unsafe-typecast)
        s.amount = uint128(active - amount);
        // forge-lint: disable-next-line(unsafe-typecast)
        s.pendingUnstake += uint128(amount);
        s.unlockAt = unlockAt;
        // forge-lint: disable-next-line(unsafe-typecast)
        d.totalStaked -= uint128(amount);
        emit UnstakeRequested(datanetId, msg.sender, amount, unlockAt);
    }

    /// @inheritdoc IDatanetRegistry
    function withdraw(uint256 datanetId) external {
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        StakeInfo storage s = $.stakes[datanetId][msg.sender];
        uint256 amount = s.pendingUnstake;
        // forge-lint: disable-next-line(block-timestamp)
        if (amount == 0 || block.timestamp < s.unlockAt) revert DatanetCooldownActive(s.unlockAt);
        s.pendingUnstake = 0;
        s.unlockAt = 0;
        $.token.safeTransfer(msg.sender, amount);
        emit Withdrawn(datanetId, msg.sender, amount);
    }

    /// @inheritdoc IDatanetRegistry
    /// @dev Slashes at most what the account has (active, then pending). `recipient` zero means the treasury.
    function slash(uint256 datanetId, address account, uint256 amount, address recipient) external onlyGovernance {
        _datanet(datanetId);
        if (amount == 0) revert DatanetInvalidInput();
        _slash(datanetId, account, amount, recipient == address(0) ? _getDatanetRegistryStorage().treasury : recipient);
    }

    /// @inheritdoc IDatanetRegistry
    function stakeOf(uint256 datanetId, address account) external view returns (StakeInfo memory) {
        return _getDatanetRegistryStorage().stakes[datanetId][account];
    }

    function _stake(uint256 datanetId, address account, uint256 amount) private {
        if (amount == 0) revert DatanetInvalidInput();
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        StoredDatanet storage d = _datanet(datanetId);
        StakeInfo storage s = $.stakes[datanetId][account];
        uint128 newStake = SafeCast.toUint128(s.amount + amount);
        s.amount = newStake;
        d.totalStaked = SafeCast.toUint128(d.totalStaked + amount);
        $.token.safeTransferFrom(account, address(this), amount);
        emit Staked(datanetId, account, amount, newStake);
    }
}
