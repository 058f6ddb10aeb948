// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IDatanetRegistry} from "../../src/interfaces/IDatanetRegistry.sol";
import {DatanetRegistry} from "../../src/datanet/DatanetRegistry.sol";
import {DatanetTestBase} from "./DatanetTestBase.sol";

/// @notice Datanets, curators, governance parameters, views and upgrades.
contract DatanetRegistryTest is DatanetTestBase {
    function test_initialize_setsParameters() public view {
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), governance));
        assertEq(registry.stakingToken(), address(open));
        assertEq(registry.treasury(), treasury);
        assertEq(registry.slashShareBps(), SLASH_BPS);
        assertFalse(registry.slashToCurator());
        assertEq(registry.unstakeCooldown(), COOLDOWN);
    }

    function test_initialize_revertsIfCalledTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        registry.initialize(open, governance, treasury, 0, false, COOLDOWN);
    }

    function test_initialize_revertsOnImplementation() public {
        DatanetRegistry impl = new DatanetRegistry();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(open, governance, treasury, 0, false, COOLDOWN);
    }

    function test_storageSlot_isErc7201() public pure {
        bytes32 expected = keccak256(abi.encode(uint256(keccak256("openledger.storage.DatanetRegistry")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(expected, 0x89e21eb98a99ad74696ff9cc7f797d53cf7230fa3926bb449dd08a57f81bef00);
    }

    function test_createDatanet_storesAndEmits() public {
        address[] memory curators = new address[](2);
        curators[0] = makeAddr("c1");
        curators[1] = makeAddr("c2");
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.DatanetCreated(2, address(this), "code", "ipfs://code", 5e18);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.CuratorSet(2, curators[0], true);
        uint256 id = registry.createDatanet("code", "ipfs://code", 5e18, curators);
        assertEq(id, 2);
        IDatanetRegistry.Datanet memory d = registry.datanet(id);
        assertEq(d.owner, address(this));
        assertEq(d.minStake, 5e18);
        assertEq(d.createdAt, block.timestamp);
        assertEq(d.name, "code");
        assertEq(d.metadataURI, "ipfs://code");
        assertTrue(registry.isCurator(id, curators[1]));
        assertEq(registry.datanetCount(), 2);
    }

    function test_createDatanet_revertsOnEmptyName() public {
        vm.expectRevert(IDatanetRegistry.DatanetInvalidInput.selector);
        registry.createDatanet("", "ipfs://x", 0, new address[](0));
    }

    function test_createDatanet_revertsOnZeroCurator() public {
        vm.expectRevert(IDatanetRegistry.DatanetInvalidInput.selector);
        registry.createDatanet("x", "ipfs://x", 0, new address[](1));
    }

    function test_updateDatanet_byOwnerAndGovernance() public {
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.DatanetUpdated(datanetId, "ipfs://v2", 1e18);
        vm.prank(owner);
        registry.updateDatanet(datanetId, "ipfs://v2", 1e18);
        vm.prank(governance);
        registry.updateDatanet(datanetId, "ipfs://v3", 2e18);
        assertEq(registry.datanet(datanetId).metadataURI, "ipfs://v3");
        assertEq(registry.datanet(datanetId).minStake, 2e18);
    }

    function test_updateDatanet_revertsIfNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetNotOwner.selector, datanetId, curator));
        vm.prank(curator);
        registry.updateDatanet(datanetId, "ipfs://evil", 0);
    }

    function test_updateDatanet_revertsIfUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetUnknown.selector, 9));
        registry.updateDatanet(9, "ipfs://x", 0);
    }

    function test_setCurator_addsAndRemoves() public {
        address c = makeAddr("new curator");
        vm.startPrank(owner);
        registry.setCurator(datanetId, c, true);
        assertTrue(registry.isCurator(datanetId, c));
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.CuratorSet(datanetId, c, false);
        registry.setCurator(datanetId, c, false);
        vm.stopPrank();
        assertFalse(registry.isCurator(datanetId, c));
    }

    function test_setCurator_revertsIfNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetNotOwner.selector, datanetId, contributor));
        vm.prank(contributor);
        registry.setCurator(datanetId, contributor, true);
    }

    function test_setSlashParameters_setsAndEmits() public {
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.SlashParametersSet(5_000, true, address(1));
        vm.prank(governance);
        registry.setSlashParameters(5_000, true, address(1));
        assertEq(registry.slashShareBps(), 5_000);
        assertTrue(registry.slashToCurator());
        assertEq(registry.treasury(), address(1));
    }

    function test_setSlashParameters_revertsAboveHalf() public {
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetInvalidParameter.selector, bytes32("slashShareBps"), 5_001)
        );
        registry.setSlashParameters(5_001, false, treasury);
    }

    function test_setSlashParameters_revertsOnZeroTreasury() public {
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetInvalidParameter.selector, bytes32("treasury"), 0)
        );
        registry.setSlashParameters(1, false, address(0));
    }

    function test_setSlashParameters_revertsIfNotGovernance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, owner, bytes32(0))
        );
        vm.prank(owner);
        registry.setSlashParameters(1, false, treasury);
    }

    function test_setUnstakeCooldown_boundsAndEmits() public {
        vm.startPrank(governance);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.UnstakeCooldownSet(1 hours);
        registry.setUnstakeCooldown(1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetInvalidParameter.selector, bytes32("unstakeCooldown"), 59 minutes
            )
        );
        registry.setUnstakeCooldown(59 minutes);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetInvalidParameter.selector, bytes32("unstakeCooldown"), 91 days
            )
        );
        registry.setUnstakeCooldown(91 days);
        vm.stopPrank();
    }

    function test_datanets_pagesAndClips() public {
        registry.createDatanet("b", "u", 0, new address[](0));
        registry.createDatanet("c", "u", 0, new address[](0));
        IDatanetRegistry.Datanet[] memory page = registry.datanets(1, 5);
        assertEq(page.length, 2);
        assertEq(page[0].name, "b");
        assertEq(page[1].name, "c");
        assertEq(registry.datanets(0, 1)[0].name, "medical-qa");
        assertEq(registry.datanets(3, 2).length, 0);
        assertEq(registry.datanets(9, 2).length, 0);
    }

    function test_datanet_revertsIfUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetUnknown.selector, 0));
        registry.datanet(0);
    }

    function test_upgrade_onlyGovernance() public {
        DatanetRegistry next = new DatanetRegistry();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, owner, bytes32(0))
        );
        vm.prank(owner);
        registry.upgradeToAndCall(address(next), "");
        vm.prank(governance);
        registry.upgradeToAndCall(address(next), "");
        // state survives the upgrade
        assertEq(registry.datanet(datanetId).name, "medical-qa");
        assertEq(registry.stakeOf(datanetId, curator).amount, MIN_STAKE);
    }
}
