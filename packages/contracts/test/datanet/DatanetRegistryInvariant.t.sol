// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {DatanetRegistry} from "../../src/datanet/DatanetRegistry.sol";
import {IDatanetRegistry} from "../../src/interfaces/IDatanetRegistry.sol";
import {DatanetTestBase} from "./DatanetTestBase.sol";

/// @dev Random stakes, unstakes, withdrawals, submissions, malicious rejections and governance slashes.
contract DatanetHandler is Test {
    OpenToken internal immutable open;
    DatanetRegistry internal immutable registry;
    uint256 internal immutable datanetId;
    address internal immutable curator;
    address internal immutable governance;
    address[3] public actors = [address(0xA1), address(0xA2), address(0xA3)];

    uint256 public ghostDeposits;
    uint256 public ghostWithdrawn;
    uint256 public ghostSlashed;
    uint256 public malicious;

    constructor(OpenToken o, DatanetRegistry r, uint256 id, address curator_, address governance_, uint256 initial) {
        (open, registry, datanetId, curator, governance) = (o, r, id, curator_, governance_);
        ghostDeposits = initial;
    }

    function stake(uint256 who, uint256 amount) external {
        address a = actors[who % 3];
        amount = bound(amount, 1, 1_000e18);
        vm.prank(a);
        registry.stake(datanetId, amount);
        ghostDeposits += amount;
    }

    function requestUnstake(uint256 who, uint256 amount) external {
        address a = actors[who % 3];
        uint256 active = registry.stakeOf(datanetId, a).amount;
        if (active == 0) return;
        vm.prank(a);
        registry.requestUnstake(datanetId, bound(amount, 1, active));
    }

    function withdraw(uint256 who) external {
        address a = actors[who % 3];
        uint256 pending = registry.stakeOf(datanetId, a).pendingUnstake;
        vm.prank(a);
        try registry.withdraw(datanetId) {
            ghostWithdrawn += pending;
        } catch {}
    }

    function submitAndReject(uint256 who, bool isMalicious) external {
        address a = actors[who % 3];
        vm.prank(a);
        try registry.submitContribution(datanetId, keccak256(abi.encode(who, block.timestamp)), 10, "u") returns (
            uint256 id
        ) {
            uint256 before = open.balanceOf(address(registry));
            vm.prank(curator);
            registry.rejectContribution(id, isMalicious, "");
            ghostSlashed += before - open.balanceOf(address(registry));
            if (isMalicious) ++malicious;
        } catch {}
    }

    function governanceSlash(uint256 who, uint256 amount) external {
        uint256 before = open.balanceOf(address(registry));
        vm.prank(governance);
        registry.slash(datanetId, actors[who % 3], bound(amount, 1, 2_000e18), address(0));
        ghostSlashed += before - open.balanceOf(address(registry));
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, 8 days));
    }
}

contract DatanetRegistryInvariantTest is DatanetTestBase {
    DatanetHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new DatanetHandler(open, registry, datanetId, curator, governance, MIN_STAKE);
        for (uint256 i; i < 3; ++i) {
            address a = handler.actors(i);
            open.transfer(a, 1_000_000e18);
            vm.prank(a);
            open.approve(address(registry), type(uint256).max);
        }
        targetContract(address(handler));
    }

    function _staked(address a) internal view returns (uint256) {
        IDatanetRegistry.StakeInfo memory s = registry.stakeOf(datanetId, a);
        return uint256(s.amount) + s.pendingUnstake;
    }

    /// @dev staked (active + pending) + slashed + withdrawn == deposits, and the registry holds exactly the stakes.
    function invariant_stakesAreConserved() public view {
        uint256 staked = _staked(curator);
        uint256 active = registry.stakeOf(datanetId, curator).amount;
        for (uint256 i; i < 3; ++i) {
            staked += _staked(handler.actors(i));
            active += registry.stakeOf(datanetId, handler.actors(i)).amount;
        }
        assertEq(staked + handler.ghostSlashed() + handler.ghostWithdrawn(), handler.ghostDeposits());
        assertEq(open.balanceOf(address(registry)), staked);
        assertEq(registry.datanet(datanetId).totalStaked, active);
    }

    /// @dev The handler's paths really move tokens (so the invariant is not vacuous).
    function test_handler_pathsMoveTokens() public {
        handler.stake(0, 500e18);
        handler.submitAndReject(0, true);
        handler.requestUnstake(0, 100e18);
        handler.warp(8 days);
        handler.withdraw(0);
        assertGt(handler.ghostSlashed(), 0);
        assertGt(handler.ghostWithdrawn(), 0);
        invariant_stakesAreConserved();
    }
}
