// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {GOpenToken} from "../../src/governance/GOpenToken.sol";

contract GOpenTokenTest is Test {
    OpenToken internal open;
    GOpenToken internal gopen;
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        open = new OpenToken(alice);
        gopen = new GOpenToken(open);
        vm.prank(alice);
        open.approve(address(gopen), type(uint256).max);
    }

    function test_metadata() public view {
        assertEq(gopen.name(), "Governance OpenLedger");
        assertEq(gopen.symbol(), "GOPEN");
        assertEq(gopen.decimals(), 18);
        assertEq(address(gopen.underlying()), address(open));
    }

    function test_clock_isTimestamp() public {
        vm.warp(1_900_000_000);
        assertEq(gopen.clock(), 1_900_000_000);
        assertEq(gopen.CLOCK_MODE(), "mode=timestamp");
    }

    function test_depositFor_mintsOneToOne() public {
        vm.prank(alice);
        gopen.depositFor(bob, 7e18);
        assertEq(gopen.balanceOf(bob), 7e18);
        assertEq(open.balanceOf(address(gopen)), 7e18);
        assertEq(gopen.totalSupply(), 7e18);
    }

    function test_depositFor_revertsWithoutAllowance() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(gopen), 0, 1));
        gopen.depositFor(bob, 1);
    }

    function test_depositFor_revertsIfReceiverIsWrapper() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(gopen)));
        gopen.depositFor(address(gopen), 1);
    }

    function test_withdrawTo_burnsAndReturnsOpen() public {
        vm.startPrank(alice);
        gopen.depositFor(alice, 10e18);
        gopen.withdrawTo(bob, 4e18);
        vm.stopPrank();
        assertEq(gopen.balanceOf(alice), 6e18);
        assertEq(open.balanceOf(bob), 4e18);
        assertEq(open.balanceOf(address(gopen)), 6e18);
    }

    function test_withdrawTo_revertsIfInsufficientBalance() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, 1));
        gopen.withdrawTo(bob, 1);
    }

    function test_delegate_givesVotesAtTimestamp() public {
        vm.startPrank(alice);
        gopen.depositFor(alice, 10e18);
        assertEq(gopen.getVotes(alice), 0); // no votes until delegated
        gopen.delegate(bob);
        vm.stopPrank();
        assertEq(gopen.delegates(alice), bob);
        assertEq(gopen.getVotes(bob), 10e18);
        uint256 t = block.timestamp;
        vm.warp(t + 10);
        assertEq(gopen.getPastVotes(bob, t), 10e18);
        assertEq(gopen.getPastTotalSupply(t), 10e18);
    }

    function test_delegate_followsTransfers() public {
        vm.startPrank(alice);
        gopen.depositFor(alice, 10e18);
        gopen.delegate(alice);
        gopen.transfer(bob, 3e18);
        vm.stopPrank();
        assertEq(gopen.getVotes(alice), 7e18);
        vm.prank(bob);
        gopen.delegate(bob);
        assertEq(gopen.getVotes(bob), 3e18);
    }

    function test_delegateBySig_delegatesAndRejectsReplay() public {
        uint256 key = 0xA11CE;
        address signer = vm.addr(key);
        vm.prank(alice);
        open.transfer(signer, 5e18);
        vm.startPrank(signer);
        open.approve(address(gopen), 5e18);
        gopen.depositFor(signer, 5e18);
        vm.stopPrank();
        uint256 expiry = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)"), bob, 0, expiry)
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", gopen.DOMAIN_SEPARATOR(), structHash)));
        gopen.delegateBySig(bob, 0, expiry, v, r, s); // anyone can relay it
        assertEq(gopen.delegates(signer), bob);
        assertEq(gopen.getVotes(bob), 5e18);
        vm.expectRevert(); // nonce already used
        gopen.delegateBySig(bob, 0, expiry, v, r, s);
    }

    function test_delegateBySig_revertsIfExpired() public {
        vm.warp(1000);
        vm.expectRevert(abi.encodeWithSelector(IVotes.VotesExpiredSignature.selector, 999));
        gopen.delegateBySig(bob, 0, 999, 27, bytes32(0), bytes32(0));
    }

    function test_getPastVotes_revertsForFutureTimepoint() public {
        vm.expectRevert(abi.encodeWithSelector(Votes.ERC5805FutureLookup.selector, block.timestamp, block.timestamp));
        gopen.getPastVotes(alice, block.timestamp);
    }

    function testFuzz_wrapUnwrap_keepsBacking(uint256 wrapped, uint256 unwrapped) public {
        wrapped = bound(wrapped, 0, open.CAP());
        unwrapped = bound(unwrapped, 0, wrapped);
        vm.startPrank(alice);
        gopen.depositFor(alice, wrapped);
        gopen.withdrawTo(alice, unwrapped);
        vm.stopPrank();
        assertEq(gopen.totalSupply(), wrapped - unwrapped);
        assertEq(open.balanceOf(address(gopen)), gopen.totalSupply());
        assertEq(open.balanceOf(alice), open.CAP() - (wrapped - unwrapped));
    }
}

/// @dev Random wraps, unwraps, transfers and delegations among five holders.
contract WrapperHandler is Test {
    OpenToken internal open;
    GOpenToken internal gopen;
    /// @notice Ghost: OPEN sent straight to the wrapper without minting GOPEN.
    uint256 public donated;

    constructor(OpenToken open_, GOpenToken gopen_) {
        open = open_;
        gopen = gopen_;
    }

    function _holder(uint256 i) internal pure returns (address) {
        return address(uint160(0x1000 + bound(i, 0, 4)));
    }

    function wrap(uint256 who, uint256 amount) external {
        address a = _holder(who);
        amount = bound(amount, 0, open.balanceOf(a));
        vm.startPrank(a);
        open.approve(address(gopen), amount);
        gopen.depositFor(a, amount);
        vm.stopPrank();
    }

    function unwrap(uint256 who, uint256 to, uint256 amount) external {
        address a = _holder(who);
        amount = bound(amount, 0, gopen.balanceOf(a));
        vm.prank(a);
        gopen.withdrawTo(_holder(to), amount);
    }

    function transfer(uint256 who, uint256 to, uint256 amount) external {
        address a = _holder(who);
        amount = bound(amount, 0, gopen.balanceOf(a));
        vm.prank(a);
        gopen.transfer(_holder(to), amount);
    }

    function delegate(uint256 who, uint256 to) external {
        vm.prank(_holder(who));
        gopen.delegate(_holder(to));
    }

    function donate(uint256 who, uint256 amount) external {
        address a = _holder(who);
        amount = bound(amount, 0, open.balanceOf(a));
        vm.prank(a);
        open.transfer(address(gopen), amount); // direct transfer: only adds unclaimed backing
        donated += amount;
    }
}

contract GOpenTokenInvariantTest is StdInvariant, Test {
    OpenToken internal open;
    GOpenToken internal gopen;
    WrapperHandler internal handler;

    function setUp() public {
        open = new OpenToken(address(this));
        gopen = new GOpenToken(open);
        for (uint160 i; i < 5; ++i) {
            open.transfer(address(0x1000 + i), 1_000_000e18);
        }
        handler = new WrapperHandler(open, gopen);
        targetContract(address(handler));
    }

    /// @notice GOPEN supply always equals the OPEN locked in it (plus OPEN donated by plain transfer).
    function invariant_supplyEqualsLockedOpen() public view {
        assertEq(gopen.totalSupply() + handler.donated(), open.balanceOf(address(gopen)));
    }

    /// @notice Votes never exceed the supply.
    function invariant_votesBoundedBySupply() public view {
        uint256 votes;
        for (uint160 i; i < 5; ++i) {
            votes += gopen.getVotes(address(0x1000 + i));
        }
        assertLe(votes, gopen.totalSupply());
    }
}
