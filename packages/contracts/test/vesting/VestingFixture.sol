// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {GOpenToken} from "../../src/governance/GOpenToken.sol";
import {TokenVesting} from "../../src/vesting/TokenVesting.sol";
import {ITokenVesting} from "../../src/vesting/interfaces/ITokenVesting.sol";

/// @notice A TokenVesting proxy owned by `owner` (standing in for the Timelock) with two grants:
/// 0 = team (revocable, 12-month cliff, 36 months linear), 1 = investor (not revocable, same shape).
abstract contract VestingFixture is Test {
    uint32 internal constant MONTH = 2_629_746;
    uint48 internal constant START = 1_800_000_000;

    OpenToken internal open;
    GOpenToken internal gopen;
    TokenVesting internal vesting;
    address internal owner = makeAddr("timelock");
    address internal team = makeAddr("team");
    address internal investor = makeAddr("investor");

    function _deployVesting() internal {
        vm.warp(START);
        open = new OpenToken(owner);
        gopen = new GOpenToken(open);
        address impl = address(new TokenVesting());
        bytes memory init = abi.encodeCall(TokenVesting.initialize, (open, gopen, owner));
        vesting = TokenVesting(address(new ERC1967Proxy(impl, init)));
        ITokenVesting.GrantParams[] memory p = new ITokenVesting.GrantParams[](2);
        p[0] = _params(team, 150_000_000e18, true, "team");
        p[1] = _params(investor, 182_900_000e18, false, "investors");
        vm.startPrank(owner);
        open.approve(address(vesting), type(uint256).max);
        vesting.createGrants(p);
        vm.stopPrank();
    }

    function _params(address who, uint128 amount, bool revocable, bytes32 bucket)
        internal
        pure
        returns (ITokenVesting.GrantParams memory)
    {
        return ITokenVesting.GrantParams(who, amount, START, 12 * MONTH, 36 * MONTH, revocable, bucket);
    }
}
