// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Deploy} from "../../script/Deploy.s.sol";
import {DatanetRegistry} from "../../src/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../../src/model/ModelRegistry.sol";
import {FeeEscrow} from "../../src/escrow/FeeEscrow.sol";
import {AttributionSettlement} from "../../src/settlement/AttributionSettlement.sol";

/// @notice The real deploy script yields the four economy contracts wired to OPEN and the Timelock.
contract DeployEconomyTest is Test {
    address internal constant ANVIL_0 = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266;

    function _deploy(string memory json) internal returns (Deploy.Deployment memory d, Deploy script) {
        script = new Deploy();
        d = script.deployFromJson(json);
    }

    function test_deploy_wiresEconomyToTimelock() public {
        (Deploy.Deployment memory d, Deploy script) = _deploy(vm.readFile("config/deploy.local.json"));
        address timelock = address(d.timelock);
        DatanetRegistry datanets = DatanetRegistry(d.economy.datanetRegistry);
        ModelRegistry models = ModelRegistry(d.economy.modelRegistry);
        FeeEscrow escrow = FeeEscrow(d.economy.feeEscrow);
        AttributionSettlement settlement = AttributionSettlement(d.economy.attributionSettlement);

        // registries are UUPS proxies with an implementation behind them
        assertTrue(vm.load(address(datanets), ERC1967Utils.IMPLEMENTATION_SLOT) != bytes32(0));
        assertTrue(vm.load(address(models), ERC1967Utils.IMPLEMENTATION_SLOT) != bytes32(0));

        // governance is the Timelock everywhere; the deployer holds nothing
        bytes32 admin = bytes32(0);
        assertTrue(datanets.hasRole(admin, timelock));
        assertTrue(models.hasRole(admin, timelock));
        assertTrue(escrow.hasRole(admin, timelock));
        assertTrue(settlement.hasRole(admin, timelock));
        assertFalse(datanets.hasRole(admin, address(script)));
        assertFalse(escrow.hasRole(admin, address(script)));
        assertFalse(settlement.hasRole(admin, address(script)));

        // roles and wiring from the config (local config: anvil account 0 settles, guards and operates)
        assertTrue(settlement.hasRole(settlement.SETTLER_ROLE(), ANVIL_0));
        assertTrue(settlement.hasRole(settlement.GUARDIAN_ROLE(), ANVIL_0));
        assertTrue(escrow.hasRole(escrow.OPERATOR_ROLE(), ANVIL_0));
        assertEq(datanets.stakingToken(), address(d.open));
        assertEq(models.datanetRegistry(), address(datanets));
        assertEq(escrow.settlement(), address(settlement));
        assertEq(escrow.token(), address(d.open));
        assertEq(settlement.token(), address(d.open));
        assertEq(datanets.treasury(), timelock);
        assertEq(settlement.challengeWindow(), 1 days);
        assertEq(escrow.feeShares().contributorsBps, 5_000);
    }

    function test_deploy_readsEconomySettingsFromConfig() public {
        string memory base = vm.readFile("config/deploy.local.json");
        // append an operator and an economy object before the closing brace
        bytes memory b = bytes(base);
        uint256 end = b.length;
        while (b[end - 1] != "}") --end;
        bytes memory head = new bytes(end - 1);
        for (uint256 i; i < end - 1; ++i) {
            head[i] = b[i];
        }
        string memory json = string.concat(
            string(head),
            ',"operator":"0x00000000000000000000000000000000000000A1","economy":{"treasury":"0x00000000000000000000000000000000000000B2",',
            '"slashShareBps":5000,"slashToCurator":true,"challengeWindow":3600,"withdrawalDelay":7200,',
            '"feeShares":{"protocolBps":500,"modelOwnerBps":2500,"contributorsBps":6000,"curatorsBps":1000}}}'
        );
        (Deploy.Deployment memory d,) = _deploy(json);
        DatanetRegistry datanets = DatanetRegistry(d.economy.datanetRegistry);
        FeeEscrow escrow = FeeEscrow(d.economy.feeEscrow);
        assertTrue(escrow.hasRole(escrow.OPERATOR_ROLE(), address(0xA1)));
        assertEq(escrow.treasury(), address(0xB2));
        assertEq(escrow.curatorPool(), address(d.timelock));
        assertEq(escrow.withdrawalDelay(), 7200);
        assertEq(escrow.feeShares().contributorsBps, 6_000);
        assertEq(datanets.slashShareBps(), 5_000);
        assertTrue(datanets.slashToCurator());
        assertEq(AttributionSettlement(d.economy.attributionSettlement).challengeWindow(), 3600);
    }
}
