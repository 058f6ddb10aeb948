// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {IOpenTokenErrors} from "../../src/token/interfaces/IOpenTokenErrors.sol";

contract OpenTokenTest is Test {
    OpenToken internal token;
    address internal distributor = makeAddr("distributor");

    function setUp() public {
        token = new OpenToken(distributor);
    }

    function test_constructor_mintsWholeCapToDistributor() public view {
        assertEq(token.totalSupply(), 1_000_000_000e18);
        assertEq(token.balanceOf(distributor), token.CAP());
        assertEq(token.cap(), token.CAP());
        assertEq(token.name(), "OpenLedger");
        assertEq(token.symbol(), "OPEN");
        assertEq(token.decimals(), 18);
    }

    function test_constructor_revertsIfZeroDistributor() public {
        vm.expectRevert(IOpenTokenErrors.OpenTokenZeroAddress.selector);
        new OpenToken(address(0));
    }

    function test_mint_doesNotExist() public {
        (bool ok,) = address(token).call(abi.encodeWithSignature("mint(address,uint256)", distributor, 1));
        assertFalse(ok);
        assertEq(token.totalSupply(), token.CAP());
    }

    /// forge-config: default.isolate = true
    function test_transfer_movesBalance() public {
        address to = makeAddr("to");
        vm.prank(distributor);
        token.transfer(to, 1e18);
        vm.snapshotGasLastCall("Token", "transfer (to new holder)");
        vm.prank(distributor);
        token.transfer(to, 1e18);
        vm.snapshotGasLastCall("Token", "transfer (to existing holder)");
        assertEq(token.balanceOf(to), 2e18);
    }

    function test_transfer_revertsIfInsufficientBalance() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, address(this), 0, 1));
        token.transfer(distributor, 1);
    }

    function testFuzz_transfer_conservesSupply(address to, uint256 amount) public {
        vm.assume(to != address(0) && to != distributor);
        amount = bound(amount, 0, token.CAP());
        vm.prank(distributor);
        token.transfer(to, amount);
        assertEq(token.balanceOf(to) + token.balanceOf(distributor), token.CAP());
        assertEq(token.totalSupply(), token.CAP());
    }

    function testFuzz_permit_setsAllowance(uint256 ownerKey, uint256 value, uint256 deadline) public {
        ownerKey = bound(ownerKey, 1, 1e30);
        deadline = bound(deadline, block.timestamp, type(uint64).max);
        address owner = vm.addr(ownerKey);
        address spender = makeAddr("spender");
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner, spender, value, token.nonces(owner), deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(ownerKey, keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash)));
        token.permit(owner, spender, value, deadline, v, r, s);
        assertEq(token.allowance(owner, spender), value);
        assertEq(token.nonces(owner), 1);
        vm.expectRevert(); // replay: the nonce moved on
        token.permit(owner, spender, value, deadline, v, r, s);
    }

    function test_permit_revertsIfExpired() public {
        vm.warp(1000);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, 999));
        token.permit(distributor, address(this), 1, 999, 27, bytes32(0), bytes32(0));
    }
}
