// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DeployFixture} from "./DeployFixture.sol";
import {Deploy} from "../../script/Deploy.s.sol";
import {DeployConfigReader} from "../../script/DeployConfig.sol";
import {ITokenVesting} from "../../src/vesting/interfaces/ITokenVesting.sol";

contract DeployTest is DeployFixture {
    uint256 internal constant ANVIL_KEY_0 = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;
    uint256 internal constant MONTH = 2_629_746;

    function test_deploy_reproducesPublishedSchedule() public {
        _deployLocal();
        assertEq(open.totalSupply(), 1_000_000_000e18);
        assertEq(open.balanceOf(HOLDER), 215_500_000e18); // circulating at TGE: 21.55%
        assertEq(open.balanceOf(address(vesting)), 784_500_000e18);
        assertEq(vesting.grantCount(), 5);
        uint256 teamAndInvestors;
        for (uint256 id = 1; id < 5; ++id) {
            ITokenVesting.Grant memory g = vesting.grant(id);
            assertEq(g.cliff, 12 * MONTH);
            assertEq(g.duration, 36 * MONTH);
            teamAndInvestors += g.amount;
        }
        assertEq(teamAndInvestors, 332_900_000e18);
        ITokenVesting.Grant memory community = vesting.grant(0);
        assertEq(community.amount, 451_600_000e18);
        assertEq(community.cliff, 0);
        assertEq(community.duration, 48 * MONTH);
        assertEq(vesting.vestedAmount(0, uint48(tge + 48 * MONTH)), 451_600_000e18);
        assertEq(vesting.vestedAmount(4, uint48(tge + 12 * MONTH)), 0);
    }

    function test_run_writesDeploymentsJson() public {
        string memory out = "deployments/test-run.json";
        vm.setEnv("PRIVATE_KEY", vm.toString(ANVIL_KEY_0));
        vm.setEnv("DEPLOYMENTS_OUT", out);
        Deploy s = new Deploy();
        Deploy.Deployment memory d = s.run();
        string memory json = vm.readFile(out);
        vm.removeFile(out);
        assertEq(vm.parseJsonUint(json, ".chainId"), block.chainid);
        assertEq(vm.parseJsonAddress(json, ".contracts.OpenToken"), address(d.open));
        assertEq(vm.parseJsonAddress(json, ".contracts.GOpenToken"), address(d.gopen));
        assertEq(vm.parseJsonAddress(json, ".contracts.OpenTimelock"), address(d.timelock));
        assertEq(vm.parseJsonAddress(json, ".contracts.OpenGovernor"), address(d.governor));
        assertEq(vm.parseJsonAddress(json, ".contracts.TokenVesting"), address(d.vesting));
        assertEq(vm.parseJsonAddress(json, ".contracts.FeeEscrow"), address(d.economy.feeEscrow));
        assertEq(vm.parseJsonUint(json, ".vesting.grants[1].id"), 1);
        assertEq(vm.parseJsonString(json, ".vesting.grants[1].bucket"), "team");
        assertEq(vm.parseJsonUint(json, ".vesting.grants[1].amount"), 90_000_000e18);
        assertEq(vm.parseJsonUint(json, ".vesting.grants[1].cliff"), 12 * MONTH);
        assertEq(vm.parseJsonBool(json, ".vesting.grants[1].revocable"), true);
        assertEq(vm.parseJsonUint(json, ".vesting.liquid[1].amount"), 50_000_000e18);
        assertEq(vm.parseJsonUint(json, ".vesting.tge"), d.tge);
    }

    function test_readConfig_revertsIfTotalIsNotCap() public {
        Deploy s = new Deploy();
        string memory json = _config('"999999999"', '"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"', '"community"');
        vm.expectRevert(
            abi.encodeWithSelector(DeployConfigReader.DeployConfigBadTotal.selector, 999_999_999e18, 1_000_000_000e18)
        );
        s.readConfig(json);
    }

    function test_readConfig_revertsNamingBadField() public {
        Deploy s = new Deploy();
        string memory json = _config('"1000000000"', '"0x0000000000000000000000000000000000000000"', '"community"');
        vm.expectRevert(abi.encodeWithSelector(DeployConfigReader.DeployConfigBadAllocation.selector, 0, "beneficiary"));
        s.readConfig(json);
        json = _config('"1000000000"', '"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"', '"a\\"b"');
        vm.expectRevert(abi.encodeWithSelector(DeployConfigReader.DeployConfigBadAllocation.selector, 0, "label"));
        s.readConfig(json);
    }

    function test_readConfig_revertsIfOutOfRange() public {
        Deploy s = new Deploy();
        string memory ok = _config('"1000000000"', '"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"', '"community"');
        string memory json = vm.replace(ok, '"monthSeconds":2629746', '"monthSeconds":0');
        vm.expectRevert(abi.encodeWithSelector(DeployConfigReader.DeployConfigBadField.selector, ".schedule.monthSeconds"));
        s.readConfig(json);
        json = vm.replace(ok, '"votingPeriod":2', '"votingPeriod":4294967296');
        vm.expectRevert(abi.encodeWithSelector(DeployConfigReader.DeployConfigBadField.selector, ".governance.votingPeriod"));
        s.readConfig(json);
        json = vm.replace(ok, '"vestingMonths":0', '"vestingMonths":2000');
        vm.expectRevert(abi.encodeWithSelector(DeployConfigReader.DeployConfigBadAllocation.selector, 0, "vestingMonths"));
        s.readConfig(json);
    }

    function _config(string memory amount, string memory beneficiary, string memory bucket)
        internal
        pure
        returns (string memory)
    {
        return string.concat(
            '{"governance":{"votingDelay":1,"votingPeriod":2,"proposalThresholdOpen":"1","quorumPercent":5,',
            '"lateQuorumExtension":1,"timelockDelay":1},"schedule":{"tge":0,"monthSeconds":2629746},',
            '"allocations":[{"bucket":', bucket, ',"label":"x","beneficiary":', beneficiary, ',"amountOpen":', amount,
            ',"cliffMonths":0,"vestingMonths":0,"revocable":false}],',
            '"settler":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","guardian":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"}'
        );
    }
}
