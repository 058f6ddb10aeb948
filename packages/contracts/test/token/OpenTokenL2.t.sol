// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {OpenTokenL2} from "../../src/token/OpenTokenL2.sol";
import {IOpenTokenErrors} from "../../src/token/interfaces/IOpenTokenErrors.sol";
import {IOptimismMintableERC20} from "../../src/token/interfaces/IOptimismMintableERC20.sol";
import {ILegacyMintableERC20} from "../../src/token/interfaces/ILegacyMintableERC20.sol";

contract OpenTokenL2Test is Test {
    address internal constant L2_BRIDGE = 0x4200000000000000000000000000000000000010;
    address internal remote = makeAddr("openOnL1");
    address internal alice = makeAddr("alice");
    OpenTokenL2 internal token;

    function setUp() public {
        token = new OpenTokenL2(L2_BRIDGE, remote);
    }

    function test_getters_returnBridgeAndRemote() public view {
        assertEq(token.bridge(), L2_BRIDGE);
        assertEq(token.l2Bridge(), L2_BRIDGE);
        assertEq(token.remoteToken(), remote);
        assertEq(token.l1Token(), remote);
        assertEq(token.totalSupply(), 0);
        assertEq(token.symbol(), "OPEN");
    }

    function test_constructor_revertsIfZeroAddress() public {
        vm.expectRevert(IOpenTokenErrors.OpenTokenZeroAddress.selector);
        new OpenTokenL2(address(0), remote);
        vm.expectRevert(IOpenTokenErrors.OpenTokenZeroAddress.selector);
        new OpenTokenL2(L2_BRIDGE, address(0));
    }

    /// @dev The ids the OP Stack bridge checks (values from the OP Stack contracts).
    function test_supportsInterface_opStackIds() public view {
        assertEq(type(IOptimismMintableERC20).interfaceId, bytes4(0xec4fc8e3));
        assertEq(type(ILegacyMintableERC20).interfaceId, bytes4(0x1d1d8b63));
        assertTrue(token.supportsInterface(0xec4fc8e3));
        assertTrue(token.supportsInterface(0x1d1d8b63));
        assertTrue(token.supportsInterface(type(IERC165).interfaceId));
        assertFalse(token.supportsInterface(0xffffffff));
    }

    function test_mint_byBridge() public {
        vm.expectEmit(address(token));
        emit IOpenTokenErrors.Mint(alice, 5e18);
        vm.prank(L2_BRIDGE);
        token.mint(alice, 5e18);
        assertEq(token.balanceOf(alice), 5e18);
    }

    function test_mint_revertsIfNotBridge() public {
        vm.expectRevert(abi.encodeWithSelector(IOpenTokenErrors.OpenTokenOnlyBridge.selector, alice));
        vm.prank(alice);
        token.mint(alice, 1);
    }

    function test_mint_revertsPastCap() public {
        vm.startPrank(L2_BRIDGE);
        token.mint(alice, token.CAP());
        vm.expectRevert(abi.encodeWithSelector(IOpenTokenErrors.OpenTokenCapExceeded.selector, token.CAP(), token.CAP() + 1));
        token.mint(alice, 1);
    }

    function test_burn_byBridge() public {
        vm.startPrank(L2_BRIDGE);
        token.mint(alice, 5e18);
        vm.expectEmit(address(token));
        emit IOpenTokenErrors.Burn(alice, 2e18);
        token.burn(alice, 2e18);
        assertEq(token.balanceOf(alice), 3e18);
        assertEq(token.totalSupply(), 3e18);
    }

    function test_burn_revertsIfNotBridge() public {
        vm.expectRevert(abi.encodeWithSelector(IOpenTokenErrors.OpenTokenOnlyBridge.selector, alice));
        vm.prank(alice);
        token.burn(alice, 0);
    }

    function testFuzz_mintBurn_roundTrip(uint256 amount, uint256 burnt) public {
        amount = bound(amount, 0, token.CAP());
        burnt = bound(burnt, 0, amount);
        vm.startPrank(L2_BRIDGE);
        token.mint(alice, amount);
        token.burn(alice, burnt);
        assertEq(token.balanceOf(alice), amount - burnt);
        assertEq(token.totalSupply(), amount - burnt);
    }
}

/// @dev Drives the bridge with random mints and burns.
contract BridgeHandler is Test {
    OpenTokenL2 internal token;
    address internal bridge;

    constructor(OpenTokenL2 token_, address bridge_) {
        token = token_;
        bridge = bridge_;
    }

    function mint(uint256 who, uint256 amount) external {
        amount = bound(amount, 0, token.CAP() / 4);
        vm.prank(bridge);
        token.mint(address(uint160(bound(who, 1, 5))), amount); // reverts past the cap: fine
    }

    function burn(uint256 who, uint256 amount) external {
        address from = address(uint160(bound(who, 1, 5)));
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(bridge);
        token.burn(from, amount);
    }
}

contract OpenTokenL2InvariantTest is StdInvariant, Test {
    OpenTokenL2 internal token;

    function setUp() public {
        address bridge = makeAddr("bridge");
        token = new OpenTokenL2(bridge, makeAddr("remote"));
        targetContract(address(new BridgeHandler(token, bridge)));
    }

    function invariant_totalSupplyNeverExceedsCap() public view {
        assertLe(token.totalSupply(), token.CAP());
    }
}
