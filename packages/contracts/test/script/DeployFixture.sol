// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Deploy} from "../../script/Deploy.s.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {GOpenToken} from "../../src/governance/GOpenToken.sol";
import {OpenGovernor} from "../../src/governance/OpenGovernor.sol";
import {OpenTimelock} from "../../src/governance/OpenTimelock.sol";
import {TokenVesting} from "../../src/vesting/TokenVesting.sol";

/// @notice Deploys the whole system in-process with the real deploy script and the local config.
abstract contract DeployFixture is Test {
    /// @dev Anvil account 0: receives the liquid community and liquidity parts in the local config.
    address internal constant HOLDER = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266;
    address internal constant TEAM_A = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8;
    address internal constant INVESTOR_1 = 0x90F79bf6EB2c4f870365E785982E1f101E93b906;

    Deploy internal script;
    OpenToken internal open;
    GOpenToken internal gopen;
    OpenGovernor internal governor;
    OpenTimelock internal timelock;
    TokenVesting internal vesting;
    uint256 internal tge;

    function _deployLocal() internal {
        script = new Deploy();
        Deploy.Deployment memory d = script.deployFromJson(vm.readFile("config/deploy.local.json"));
        open = d.open;
        gopen = d.gopen;
        governor = d.governor;
        timelock = d.timelock;
        vesting = d.vesting;
        tge = d.tge;
    }
}
