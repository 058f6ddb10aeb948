// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {GOpenToken} from "../governance/GOpenToken.sol";
import {ITokenVesting} from "./interfaces/ITokenVesting.sol";
import {VestingVoteEscrow} from "./VestingVoteEscrow.sol";

/// @title TokenVesting
/// @notice Holds the locked part of the OPEN distribution (community reserve, team, investors) and
/// pays each beneficiary what has vested, never more. Behind a UUPS proxy; the owner (the Timelock)
/// is the only one who can upgrade, add grants or revoke a revocable grant's unvested part.
/// @dev Invariant: OPEN held here + GOPEN held by the grants' escrows == {totalUnreleased}.
/// Delegation: a beneficiary of a non-revocable grant may delegate the votes of its unreleased
/// tokens; they are wrapped into GOPEN held by a per-grant {VestingVoteEscrow}. Revocable grants
/// may not, so that tokens governance can claw back cannot vote against their own revocation.
contract TokenVesting is ITokenVesting, Initializable, OwnableUpgradeable, UUPSUpgradeable {
    using SafeERC20 for IERC20;

    /// @custom:storage-location erc7201:openledger.storage.TokenVesting
    struct VestingStorage {
        IERC20 open;
        GOpenToken gopen;
        Grant[] grants;
        uint256 totalUnreleased;
    }

    // keccak256(abi.encode(uint256(keccak256("openledger.storage.TokenVesting")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xf5b1e1f116bbf4615889bf86d8e15d7b1c9e41ec2fc7d5bed4eab4f020fe2700;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the tokens and the owner (upgrader, grant creator, revoker).
    function initialize(IERC20 open_, GOpenToken gopen_, address owner_) external initializer {
        if (address(open_) == address(0) || address(gopen_) == address(0)) revert VestingZeroAddress();
        __Ownable_init(owner_);
        VestingStorage storage $ = _storage();
        $.open = open_;
        $.gopen = gopen_;
    }

    /// @inheritdoc ITokenVesting
    /// @dev Emits a {GrantCreated} event per grant. Requires an OPEN allowance for the total.
    function createGrants(GrantParams[] calldata params) external onlyOwner returns (uint256 firstGrantId) {
        VestingStorage storage $ = _storage();
        firstGrantId = $.grants.length;
        uint256 total;
        for (uint256 i; i < params.length; ++i) {
            GrantParams calldata p = params[i];
            if (p.beneficiary == address(0) || p.amount == 0 || p.duration == 0) revert VestingInvalidGrant(i);
            $.grants.push(Grant(p.beneficiary, p.start, p.cliff, p.revocable, p.duration, 0, address(0), p.amount, 0, p.bucket));
            total += p.amount;
            emit GrantCreated(firstGrantId + i, p.beneficiary, p.bucket, p.amount, p.start, p.cliff, p.duration, p.revocable);
        }
        $.totalUnreleased += total;
        $.open.safeTransferFrom(msg.sender, address(this), total);
    }

    /// @inheritdoc ITokenVesting
    /// @dev Emits a {Released} event.
    function release(uint256 grantId) external returns (uint256 amount) {
        Grant storage g = _grant(grantId);
        amount = _vested(g, uint48(block.timestamp)) - g.released;
        if (amount == 0) revert VestingNothingToRelease(grantId);
        // casting to uint128 is safe: amount <= g.amount, a uint128
        // forge-lint: disable-next-line(unsafe-typecast)
        g.released += uint128(amount);
        _storage().totalUnreleased -= amount;
        emit Released(grantId, g.beneficiary, amount);
        _payOut(g, g.beneficiary, amount);
    }

    /// @inheritdoc ITokenVesting
    /// @dev The vested-but-unreleased part stays the beneficiary's. Emits a {Revoked} event.
    function revoke(uint256 grantId) external onlyOwner {
        Grant storage g = _grant(grantId);
        if (!g.revocable || g.revokedAt != 0) revert VestingNotRevocable(grantId);
        uint256 vested = _vested(g, uint48(block.timestamp));
        uint256 unvested = g.amount - vested;
        // casting to uint128 is safe: vested <= g.amount, a uint128
        // forge-lint: disable-next-line(unsafe-typecast)
        g.amount = uint128(vested);
        g.revokedAt = uint48(block.timestamp);
        _storage().totalUnreleased -= unvested;
        emit Revoked(grantId, unvested, vested - g.released);
        if (unvested != 0) _payOut(g, owner(), unvested);
    }

    /// @inheritdoc ITokenVesting
    /// @dev First call moves the grant's unreleased OPEN into a new escrow as GOPEN. Emits a
    /// {GrantDelegated} event. Reverts for revocable grants (see the contract notice).
    function delegate(uint256 grantId, address delegatee) external {
        Grant storage g = _grant(grantId);
        if (msg.sender != g.beneficiary) revert VestingOnlyBeneficiary(grantId, msg.sender);
        if (g.revocable) revert VestingDelegationNotAllowed(grantId);
        address escrow = g.escrow;
        if (escrow == address(0)) {
            VestingStorage storage $ = _storage();
            escrow = address(new VestingVoteEscrow($.gopen));
            g.escrow = escrow;
            uint256 unreleased = g.amount - g.released;
            if (unreleased != 0) {
                $.open.forceApprove(address($.gopen), unreleased);
                $.gopen.depositFor(escrow, unreleased);
            }
        }
        VestingVoteEscrow(escrow).delegate(delegatee);
        emit GrantDelegated(grantId, escrow, delegatee);
    }

    /// @inheritdoc ITokenVesting
    function grant(uint256 grantId) external view returns (Grant memory) {
        return _grant(grantId);
    }

    /// @inheritdoc ITokenVesting
    function grantCount() external view returns (uint256) {
        return _storage().grants.length;
    }

    /// @inheritdoc ITokenVesting
    function vestedAmount(uint256 grantId, uint48 timestamp) external view returns (uint256) {
        return _vested(_grant(grantId), timestamp);
    }

    /// @inheritdoc ITokenVesting
    function releasable(uint256 grantId) external view returns (uint256) {
        Grant storage g = _grant(grantId);
        return _vested(g, uint48(block.timestamp)) - g.released;
    }

    /// @inheritdoc ITokenVesting
    function totalUnreleased() external view returns (uint256) {
        return _storage().totalUnreleased;
    }

    /// @notice The OPEN token vested here.
    function token() external view returns (IERC20) {
        return _storage().open;
    }

    /// @notice The GOPEN token used for delegation escrows.
    function governanceToken() external view returns (GOpenToken) {
        return _storage().gopen;
    }

    /// @dev Linear after the cliff: 0 until `start + cliff`, then `amount * elapsed / duration`.
    /// A revoked grant's `amount` was cut to what had vested, so all of it is vested.
    function _vested(Grant storage g, uint48 timestamp) private view returns (uint256) {
        if (g.revokedAt != 0) return g.amount;
        uint256 begin = uint256(g.start) + g.cliff;
        if (timestamp <= begin) return 0;
        uint256 elapsed = timestamp - begin;
        if (elapsed >= g.duration) return g.amount;
        return uint256(g.amount) * elapsed / g.duration;
    }

    function _payOut(Grant storage g, address to, uint256 amount) private {
        if (g.escrow != address(0)) VestingVoteEscrow(g.escrow).withdrawTo(to, amount);
        else _storage().open.safeTransfer(to, amount);
    }

    function _grant(uint256 grantId) private view returns (Grant storage) {
        Grant[] storage grants = _storage().grants;
        if (grantId >= grants.length) revert VestingUnknownGrant(grantId);
        return grants[grantId];
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _storage() private pure returns (VestingStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
