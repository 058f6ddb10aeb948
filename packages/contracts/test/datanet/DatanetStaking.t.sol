// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IDatanetRegistry} from "../../src/interfaces/IDatanetRegistry.sol";
import {DatanetTestBase} from "./DatanetTestBase.sol";

/// @notice Staking, the unstake cooldown and governance slashing.
contract DatanetStakingTest is DatanetTestBase {
    function test_stake_addsAndEmits() public {
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.Staked(datanetId, contributor, 40e18, 40e18);
        _stake(contributor, 40e18);
        _stake(contributor, 60e18);
        assertEq(registry.stakeOf(datanetId, contributor).amount, 100e18);
        assertEq(registry.datanet(datanetId).totalStaked, 100e18 + MIN_STAKE);
        assertEq(open.balanceOf(address(registry)), 100e18 + MIN_STAKE);
    }

    function test_stake_revertsOnZero() public {
        vm.expectRevert(IDatanetRegistry.DatanetInvalidInput.selector);
        _stake(contributor, 0);
    }

    function test_stake_revertsIfUnknownDatanet() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetUnknown.selector, 7));
        vm.prank(contributor);
        registry.stake(7, 1);
    }

    function test_stakeWithPermit_needsNoPriorApproval() public {
        uint256 key = 0xBEEF;
        address staker = vm.addr(key);
        open.transfer(staker, 50e18);
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                staker,
                address(registry),
                50e18,
                open.nonces(staker),
                block.timestamp
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", open.DOMAIN_SEPARATOR(), structHash)));
        vm.prank(staker);
        registry.stakeWithPermit(datanetId, 50e18, block.timestamp, v, r, s);
        assertEq(registry.stakeOf(datanetId, staker).amount, 50e18);
    }

    function test_requestUnstake_movesToPending() public {
        _stake(contributor, 100e18);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.UnstakeRequested(datanetId, contributor, 30e18, uint64(block.timestamp + COOLDOWN));
        vm.prank(contributor);
        registry.requestUnstake(datanetId, 30e18);
        IDatanetRegistry.StakeInfo memory s = registry.stakeOf(datanetId, contributor);
        assertEq(s.amount, 70e18);
        assertEq(s.pendingUnstake, 30e18);
        assertEq(s.unlockAt, block.timestamp + COOLDOWN);
        assertEq(registry.datanet(datanetId).totalStaked, 70e18 + MIN_STAKE);
    }

    function test_requestUnstake_revertsIfTooLarge() public {
        _stake(contributor, 10e18);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetUnstakeTooLarge.selector, 11e18, 10e18));
        vm.prank(contributor);
        registry.requestUnstake(datanetId, 11e18);
    }

    function test_withdraw_revertsDuringCooldown() public {
        _stake(contributor, 10e18);
        vm.startPrank(contributor);
        registry.requestUnstake(datanetId, 10e18);
        uint64 unlockAt = uint64(block.timestamp + COOLDOWN);
        vm.warp(unlockAt - 1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetCooldownActive.selector, unlockAt));
        registry.withdraw(datanetId);
        vm.stopPrank();
    }

    function test_withdraw_revertsWithNothingPending() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetCooldownActive.selector, 0));
        vm.prank(contributor);
        registry.withdraw(datanetId);
    }

    function test_withdraw_paysAfterCooldown() public {
        _stake(contributor, 10e18);
        uint256 before = open.balanceOf(contributor);
        vm.startPrank(contributor);
        registry.requestUnstake(datanetId, 4e18);
        vm.warp(block.timestamp + COOLDOWN);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.Withdrawn(datanetId, contributor, 4e18);
        registry.withdraw(datanetId);
        vm.stopPrank();
        assertEq(open.balanceOf(contributor), before + 4e18);
        assertEq(registry.stakeOf(datanetId, contributor).pendingUnstake, 0);
    }

    function test_slash_governanceTakesActiveThenPending() public {
        _stake(contributor, 100e18);
        vm.prank(contributor);
        registry.requestUnstake(datanetId, 40e18);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.Slashed(datanetId, contributor, 80e18, treasury);
        vm.prank(governance);
        registry.slash(datanetId, contributor, 80e18, address(0));
        IDatanetRegistry.StakeInfo memory s = registry.stakeOf(datanetId, contributor);
        assertEq(s.amount, 0);
        assertEq(s.pendingUnstake, 20e18);
        assertEq(open.balanceOf(treasury), 80e18);
        assertEq(registry.datanet(datanetId).totalStaked, MIN_STAKE);
    }

    function test_slash_capsAtStakeAndPaysRecipient() public {
        address to = makeAddr("recipient");
        vm.prank(governance);
        registry.slash(datanetId, curator, 1_000e18, to);
        assertEq(open.balanceOf(to), MIN_STAKE);
        assertEq(registry.stakeOf(datanetId, curator).amount, 0);
    }

    function test_slash_revertsIfNotGovernance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, owner, bytes32(0))
        );
        vm.prank(owner);
        registry.slash(datanetId, curator, 1, owner);
    }

    function testFuzz_stakeUnstakeWithdraw_conservesTokens(uint96 staked, uint96 unstaked) public {
        staked = uint96(bound(staked, 1, 10_000e18));
        unstaked = uint96(bound(unstaked, 1, staked));
        uint256 before = open.balanceOf(contributor);
        _stake(contributor, staked);
        vm.prank(contributor);
        registry.requestUnstake(datanetId, unstaked);
        vm.warp(block.timestamp + COOLDOWN);
        vm.prank(contributor);
        registry.withdraw(datanetId);
        assertEq(open.balanceOf(contributor), before - staked + unstaked);
        assertEq(registry.stakeOf(datanetId, contributor).amount, staked - unstaked);
    }

    function testFuzz_slash_neverTakesMoreThanStaked(uint96 active, uint96 pending, uint256 amount) public {
        active = uint96(bound(active, 1, 5_000e18));
        pending = uint96(bound(pending, 0, active));
        amount = bound(amount, 1, type(uint128).max);
        _stake(contributor, active);
        if (pending != 0) {
            vm.prank(contributor);
            registry.requestUnstake(datanetId, pending);
        }
        vm.prank(governance);
        registry.slash(datanetId, contributor, amount, treasury);
        uint256 expected = amount < active ? amount : active;
        assertEq(open.balanceOf(treasury), expected);
        IDatanetRegistry.StakeInfo memory s = registry.stakeOf(datanetId, contributor);
        assertEq(uint256(s.amount) + s.pendingUnstake, active - expected);
    }
}
