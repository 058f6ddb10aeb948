// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {TokenVesting} from "../../src/vesting/TokenVesting.sol";
import {ITokenVesting} from "../../src/vesting/interfaces/ITokenVesting.sol";
import {GOpenToken} from "../../src/governance/GOpenToken.sol";
import {VestingFixture} from "./VestingFixture.sol";

/// @dev Random time jumps, releases, delegations and revocations.
contract VestingHandler is Test {
    TokenVesting internal vesting;
    address internal owner;
    uint256[2] public initialAmount;

    constructor(TokenVesting vesting_, address owner_) {
        vesting = vesting_;
        owner = owner_;
        initialAmount = [uint256(vesting.grant(0).amount), uint256(vesting.grant(1).amount)];
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, 200 days));
    }

    function release(uint256 id) external {
        id = bound(id, 0, 1);
        if (vesting.releasable(id) != 0) vesting.release(id);
    }

    function delegate(address to) external {
        ITokenVesting.Grant memory g = vesting.grant(1);
        vm.prank(g.beneficiary);
        vesting.delegate(1, to);
    }

    function revoke() external {
        if (vesting.grant(0).revokedAt != 0) return;
        vm.prank(owner);
        vesting.revoke(0);
    }
}

contract TokenVestingInvariantTest is StdInvariant, VestingFixture {
    VestingHandler internal handler;

    function setUp() public {
        _deployVesting();
        handler = new VestingHandler(vesting, owner);
        targetContract(address(handler));
    }

    /// @notice Released never exceeds the allocation (nor the grant's current, possibly revoked, amount).
    function invariant_releasedNeverExceedsAllocation() public view {
        for (uint256 id; id < 2; ++id) {
            ITokenVesting.Grant memory g = vesting.grant(id);
            assertLe(g.released, g.amount);
            assertLe(g.amount, handler.initialAmount(id));
            assertLe(g.released, vesting.vestedAmount(id, uint48(block.timestamp)));
        }
    }

    /// @notice What the vault holds (OPEN + GOPEN in escrows) is exactly what it still owes.
    function invariant_holdingsEqualUnreleased() public view {
        uint256 held = open.balanceOf(address(vesting));
        uint256 owed;
        for (uint256 id; id < 2; ++id) {
            ITokenVesting.Grant memory g = vesting.grant(id);
            if (g.escrow != address(0)) held += gopen.balanceOf(g.escrow);
            owed += g.amount - g.released;
        }
        assertEq(held, vesting.totalUnreleased());
        assertEq(owed, vesting.totalUnreleased());
    }

    /// @notice GOPEN stays fully backed while escrows wrap and unwrap.
    function invariant_gopenBacked() public view {
        assertEq(gopen.totalSupply(), open.balanceOf(address(gopen)));
    }

    /// @notice The supply never exceeds the cap.
    function invariant_totalSupplyAtMostCap() public view {
        assertLe(open.totalSupply(), open.CAP());
    }
}
