// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {TokenVesting} from "../../src/vesting/TokenVesting.sol";
import {VestingVoteEscrow} from "../../src/vesting/VestingVoteEscrow.sol";
import {ITokenVesting} from "../../src/vesting/interfaces/ITokenVesting.sol";
import {VestingFixture} from "./VestingFixture.sol";

contract TokenVestingTest is VestingFixture {
    address internal delegatee = makeAddr("delegatee");

    function setUp() public {
        _deployVesting();
    }

    // ---------------------------------------------------------------- initialize

    function test_initialize_setsTokensAndOwner() public view {
        assertEq(address(vesting.token()), address(open));
        assertEq(address(vesting.governanceToken()), address(gopen));
        assertEq(vesting.owner(), owner);
    }

    function test_initialize_revertsIfCalledTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vesting.initialize(open, gopen, owner);
    }

    function test_initialize_revertsOnImplementation() public {
        TokenVesting impl = new TokenVesting();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(open, gopen, owner);
    }

    function test_initialize_revertsIfZeroToken() public {
        TokenVesting impl = new TokenVesting();
        bytes memory init = abi.encodeCall(TokenVesting.initialize, (IERC20(address(0)), gopen, owner));
        vm.expectRevert(ITokenVesting.VestingZeroAddress.selector);
        new ERC1967Proxy(address(impl), init);
    }

    // ---------------------------------------------------------------- createGrants

    function test_createGrants_fundsAndRecords() public view {
        assertEq(vesting.grantCount(), 2);
        assertEq(vesting.totalUnreleased(), 332_900_000e18);
        assertEq(open.balanceOf(address(vesting)), 332_900_000e18);
        ITokenVesting.Grant memory g = vesting.grant(0);
        assertEq(g.beneficiary, team);
        assertEq(g.amount, 150_000_000e18);
        assertEq(g.start, START);
        assertEq(g.cliff, 12 * MONTH);
        assertEq(g.duration, 36 * MONTH);
        assertTrue(g.revocable);
        assertEq(g.bucket, bytes32("team"));
    }

    function test_createGrants_emitsAndReturnsFirstId() public {
        ITokenVesting.GrantParams[] memory p = new ITokenVesting.GrantParams[](1);
        p[0] = _params(team, 1e18, false, "community");
        vm.expectEmit(address(vesting));
        emit ITokenVesting.GrantCreated(2, team, "community", 1e18, START, 12 * MONTH, 36 * MONTH, false);
        vm.prank(owner);
        assertEq(vesting.createGrants(p), 2);
    }

    function test_createGrants_revertsIfNotOwner() public {
        ITokenVesting.GrantParams[] memory p = new ITokenVesting.GrantParams[](0);
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, team));
        vm.prank(team);
        vesting.createGrants(p);
    }

    function test_createGrants_revertsIfInvalid() public {
        ITokenVesting.GrantParams[] memory p = new ITokenVesting.GrantParams[](2);
        p[0] = _params(team, 1e18, false, "x");
        p[1] = _params(address(0), 1e18, false, "x");
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingInvalidGrant.selector, 1));
        vesting.createGrants(p);
        p[1] = _params(team, 0, false, "x");
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingInvalidGrant.selector, 1));
        vesting.createGrants(p);
        p[1].amount = 1;
        p[1].duration = 0;
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingInvalidGrant.selector, 1));
        vesting.createGrants(p);
    }

    function test_createGrants_revertsWithoutAllowance() public {
        ITokenVesting.GrantParams[] memory p = new ITokenVesting.GrantParams[](1);
        p[0] = _params(team, 1e18, false, "x");
        vm.startPrank(owner);
        open.approve(address(vesting), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(vesting), 0, 1e18)
        );
        vesting.createGrants(p);
    }

    // ---------------------------------------------------------------- release

    function test_release_revertsIfNothingVested() public {
        vm.warp(START + 12 * MONTH); // the cliff's last second: still nothing
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingNothingToRelease.selector, 0));
        vesting.release(0);
    }

    function test_release_revertsIfUnknownGrant() public {
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingUnknownGrant.selector, 2));
        vesting.release(2);
    }

    /// forge-config: default.isolate = true
    function test_release_paysLinearShareToBeneficiary() public {
        vm.warp(START + 24 * MONTH); // a third of the linear part
        vm.prank(makeAddr("anyone")); // anyone may trigger it; tokens go to the beneficiary
        uint256 paid = vesting.release(0);
        vm.snapshotGasLastCall("Vesting", "release");
        assertEq(paid, 50_000_000e18);
        assertEq(open.balanceOf(team), 50_000_000e18);
        assertEq(vesting.grant(0).released, 50_000_000e18);
        assertEq(vesting.releasable(0), 0);
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingNothingToRelease.selector, 0));
        vesting.release(0);
    }

    function test_release_emitsReleased() public {
        vm.warp(START + 48 * MONTH);
        vm.expectEmit(address(vesting));
        emit ITokenVesting.Released(1, investor, 182_900_000e18);
        vesting.release(1);
        assertEq(vesting.totalUnreleased(), 150_000_000e18);
    }

    function testFuzz_release_neverMoreThanVested(uint256 t1, uint256 t2) public {
        t1 = bound(t1, START, START + 60 * MONTH);
        t2 = bound(t2, t1, START + 60 * MONTH);
        uint256 total;
        vm.warp(t1);
        if (vesting.releasable(1) != 0) total += vesting.release(1);
        vm.warp(t2);
        if (vesting.releasable(1) != 0) total += vesting.release(1);
        assertEq(total, vesting.vestedAmount(1, uint48(t2)));
        assertLe(total, 182_900_000e18);
        assertEq(open.balanceOf(investor), total);
    }

    // ---------------------------------------------------------------- vestedAmount

    function testFuzz_vestedAmount_isLinearAfterCliff(uint256 t) public view {
        t = bound(t, 0, START + 100 * MONTH);
        uint256 v = vesting.vestedAmount(0, uint48(t));
        uint256 begin = START + 12 * MONTH;
        if (t <= begin) assertEq(v, 0);
        else if (t >= begin + 36 * MONTH) assertEq(v, 150_000_000e18);
        else assertEq(v, uint256(150_000_000e18) * (t - begin) / (36 * MONTH));
    }

    function testFuzz_vestedAmount_isMonotonic(uint256 a, uint256 b) public view {
        a = bound(a, 0, START + 100 * MONTH);
        b = bound(b, a, START + 100 * MONTH);
        assertLe(vesting.vestedAmount(0, uint48(a)), vesting.vestedAmount(0, uint48(b)));
    }

    function test_vestedAmount_monthlyStepIsAThirtySixth() public view {
        uint256 m13 = vesting.vestedAmount(1, START + 13 * MONTH);
        uint256 m14 = vesting.vestedAmount(1, START + 14 * MONTH);
        assertApproxEqAbs(m14 - m13, uint256(182_900_000e18) / 36, 1); // rounding of the two floors
    }

    function test_vestedAmount_revertsIfUnknownGrant() public {
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingUnknownGrant.selector, 9));
        vesting.vestedAmount(9, 0);
    }

    // ---------------------------------------------------------------- revoke

    function test_revoke_returnsOnlyUnvestedToOwner() public {
        vm.warp(START + 24 * MONTH);
        vm.expectEmit(address(vesting));
        emit ITokenVesting.Revoked(0, 100_000_000e18, 50_000_000e18);
        vm.prank(owner);
        vesting.revoke(0);
        assertEq(open.balanceOf(owner) - (1_000_000_000e18 - 332_900_000e18), 100_000_000e18);
        // vested-but-unreleased stays the beneficiary's, even long after
        vm.warp(START + 60 * MONTH);
        assertEq(vesting.releasable(0), 50_000_000e18);
        vesting.release(0);
        assertEq(open.balanceOf(team), 50_000_000e18);
        assertEq(vesting.totalUnreleased(), 182_900_000e18);
    }

    function testFuzz_revoke_splitsExactly(uint256 t, uint256 releasedAt) public {
        t = bound(t, START, START + 60 * MONTH);
        releasedAt = bound(releasedAt, START, t);
        vm.warp(releasedAt);
        uint256 early = vesting.releasable(0) == 0 ? 0 : vesting.release(0);
        vm.warp(t);
        uint256 vested = vesting.vestedAmount(0, uint48(t));
        uint256 ownerBefore = open.balanceOf(owner);
        vm.prank(owner);
        vesting.revoke(0);
        assertEq(open.balanceOf(owner) - ownerBefore, 150_000_000e18 - vested);
        assertEq(vesting.releasable(0), vested - early);
    }

    function test_revoke_revertsIfNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, team));
        vm.prank(team);
        vesting.revoke(0);
    }

    function test_revoke_revertsIfNotRevocable() public {
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingNotRevocable.selector, 1));
        vm.prank(owner);
        vesting.revoke(1);
    }

    function test_revoke_revertsIfAlreadyRevoked() public {
        vm.startPrank(owner);
        vesting.revoke(0);
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingNotRevocable.selector, 0));
        vesting.revoke(0);
    }

    // ---------------------------------------------------------------- delegate

    /// forge-config: default.isolate = true
    function test_delegate_movesUnreleasedVotesToDelegatee() public {
        vm.prank(investor);
        vesting.delegate(1, delegatee);
        vm.snapshotGasLastCall("Vesting", "delegate grant (first: escrow + wrap)");
        address escrow = vesting.grant(1).escrow;
        assertTrue(escrow != address(0));
        assertEq(gopen.balanceOf(escrow), 182_900_000e18);
        assertEq(gopen.getVotes(delegatee), 182_900_000e18);
        assertEq(open.balanceOf(address(vesting)), 150_000_000e18);

        address other = makeAddr("other");
        vm.prank(investor);
        vesting.delegate(1, other);
        vm.snapshotGasLastCall("Vesting", "delegate grant (re-delegate)");
        assertEq(gopen.getVotes(delegatee), 0);
        assertEq(gopen.getVotes(other), 182_900_000e18);
    }

    function test_delegate_releaseUnwrapsFromEscrow() public {
        vm.prank(investor);
        vesting.delegate(1, delegatee);
        vm.warp(START + 30 * MONTH); // half of the linear part
        vesting.release(1);
        assertEq(open.balanceOf(investor), 91_450_000e18);
        assertEq(gopen.getVotes(delegatee), 91_450_000e18);
        assertEq(gopen.totalSupply(), 91_450_000e18);
    }

    function test_delegate_emitsGrantDelegated() public {
        vm.expectEmit(true, false, true, false, address(vesting));
        emit ITokenVesting.GrantDelegated(1, address(0), delegatee);
        vm.prank(investor);
        vesting.delegate(1, delegatee);
    }

    function test_delegate_revertsIfNotBeneficiary() public {
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingOnlyBeneficiary.selector, 1, team));
        vm.prank(team);
        vesting.delegate(1, team);
    }

    function test_delegate_revertsIfRevocable() public {
        vm.expectRevert(abi.encodeWithSelector(ITokenVesting.VestingDelegationNotAllowed.selector, 0));
        vm.prank(team);
        vesting.delegate(0, team);
    }

    function test_escrow_revertsIfNotVault() public {
        vm.prank(investor);
        vesting.delegate(1, investor);
        VestingVoteEscrow escrow = VestingVoteEscrow(vesting.grant(1).escrow);
        assertEq(escrow.vault(), address(vesting));
        assertEq(address(escrow.gopen()), address(gopen));
        vm.startPrank(investor);
        vm.expectRevert(abi.encodeWithSelector(VestingVoteEscrow.VestingVoteEscrowOnlyVault.selector, investor));
        escrow.withdrawTo(investor, 1);
        vm.expectRevert(abi.encodeWithSelector(VestingVoteEscrow.VestingVoteEscrowOnlyVault.selector, investor));
        escrow.delegate(investor);
    }

    // ---------------------------------------------------------------- upgrade

    function test_upgrade_byOwnerKeepsState() public {
        vm.warp(START + 24 * MONTH);
        vesting.release(1);
        address v2 = address(new TokenVesting());
        vm.prank(owner);
        vesting.upgradeToAndCall(v2, "");
        assertEq(vesting.grantCount(), 2);
        assertEq(vesting.grant(1).released, uint256(182_900_000e18) / 3);
        assertEq(vesting.totalUnreleased(), 332_900_000e18 - uint256(182_900_000e18) / 3);
    }

    function test_upgrade_revertsIfNotOwner() public {
        address v2 = address(new TokenVesting());
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, team));
        vm.prank(team);
        vesting.upgradeToAndCall(v2, "");
    }
}
