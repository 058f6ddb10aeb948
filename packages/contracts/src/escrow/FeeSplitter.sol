// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IFeeEscrow} from "../interfaces/IFeeEscrow.sol";
import {IAttributionSettlement} from "../interfaces/IAttributionSettlement.sol";

/// @title FeeSplitter
/// @notice The fee split of {FeeEscrow}: governance-set shares to the treasury, the model owner, the
/// settlement contract (contributors, for the fee's epoch) and the curator pool.
abstract contract FeeSplitter is IFeeEscrow {
    using SafeERC20 for IERC20;

    uint16 internal constant BPS = 10_000;

    FeeShares private _shares;
    address private _treasury;
    address private _curatorPool;
    IAttributionSettlement private _settlement;

    /// @inheritdoc IFeeEscrow
    function feeShares() external view returns (FeeShares memory) {
        return _shares;
    }

    /// @inheritdoc IFeeEscrow
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IFeeEscrow
    function curatorPool() external view returns (address) {
        return _curatorPool;
    }

    /// @inheritdoc IFeeEscrow
    function settlement() external view returns (address) {
        return address(_settlement);
    }

    /// @dev Splits `amount` (already held) by the shares; rounding dust goes to the contributors. Pushes
    /// the contributors' share through {IAttributionSettlement.fund}. Emits {FeesSplit}.
    function _split(IERC20 token, uint256 amount, address modelOwner, uint64 epoch) internal {
        FeeShares memory s = _shares;
        uint256 protocol = amount * s.protocolBps / BPS;
        uint256 owner = amount * s.modelOwnerBps / BPS;
        uint256 curators = amount * s.curatorsBps / BPS;
        uint256 contributors = amount - protocol - owner - curators;
        emit FeesSplit(epoch, protocol, owner, contributors, curators);
        if (protocol != 0) token.safeTransfer(_treasury, protocol);
        if (owner != 0) token.safeTransfer(modelOwner, owner);
        if (curators != 0) token.safeTransfer(_curatorPool, curators);
        if (contributors != 0) {
            token.forceApprove(address(_settlement), contributors);
            _settlement.fund(epoch, contributors);
        }
    }

    function _setFeeShares(FeeShares memory shares) internal {
        uint256 sum = uint256(shares.protocolBps) + shares.modelOwnerBps + shares.contributorsBps + shares.curatorsBps;
        if (sum != BPS) revert EscrowInvalidShares();
        _shares = shares;
        emit FeeSharesSet(shares);
    }

    function _setRecipients(address treasury_, address curatorPool_, address settlement_) internal {
        if (treasury_ == address(0)) revert EscrowInvalidParameter("treasury");
        if (curatorPool_ == address(0)) revert EscrowInvalidParameter("curatorPool");
        if (settlement_ == address(0)) revert EscrowInvalidParameter("settlement");
        _treasury = treasury_;
        _curatorPool = curatorPool_;
        _settlement = IAttributionSettlement(settlement_);
        emit RecipientsSet(treasury_, curatorPool_, settlement_);
    }
}
