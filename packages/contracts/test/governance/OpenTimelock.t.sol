// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {OpenTimelock} from "../../src/governance/OpenTimelock.sol";

contract OpenTimelockTest is Test {
    address internal proposer = makeAddr("proposer");
    OpenTimelock internal timelock;

    function setUp() public {
        address[] memory proposers = new address[](1);
        proposers[0] = proposer;
        timelock = new OpenTimelock(1 weeks, proposers, proposers, address(0));
    }

    function test_constructor_setsDelayAndRoles() public view {
        assertEq(timelock.getMinDelay(), 1 weeks);
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), proposer));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), proposer));
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), proposer));
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)));
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)));
    }

    function test_updateDelay_onlyThroughItself() public {
        bytes memory call = abi.encodeCall(timelock.updateDelay, (2 weeks));
        vm.prank(proposer);
        timelock.schedule(address(timelock), 0, call, bytes32(0), bytes32(0), 1 weeks);
        vm.warp(block.timestamp + 1 weeks);
        vm.prank(proposer);
        timelock.execute(address(timelock), 0, call, bytes32(0), bytes32(0));
        assertEq(timelock.getMinDelay(), 2 weeks);
    }

    function test_schedule_revertsBelowMinDelay() public {
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockInsufficientDelay.selector, 1 days, 1 weeks));
        timelock.schedule(address(timelock), 0, "", bytes32(0), bytes32(0), 1 days);
    }

    function test_schedule_revertsIfNotProposer() public {
        vm.expectRevert();
        timelock.schedule(address(timelock), 0, "", bytes32(0), bytes32(0), 1 weeks);
    }
}
