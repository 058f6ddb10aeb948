// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {DatanetRegistry} from "../../src/datanet/DatanetRegistry.sol";

/// @dev OPEN plus a DatanetRegistry behind an ERC1967 proxy, one datanet with a staked curator.
abstract contract DatanetTestBase is Test {
    uint64 internal constant COOLDOWN = 7 days;
    uint96 internal constant MIN_STAKE = 100e18;
    uint16 internal constant SLASH_BPS = 2_000;

    OpenToken internal open;
    DatanetRegistry internal registry;
    address internal governance = makeAddr("timelock");
    address internal treasury = makeAddr("treasury");
    address internal owner = makeAddr("owner");
    address internal curator = makeAddr("curator");
    uint256 internal contributorKey = 0xC0FFEE;
    address internal contributor = vm.addr(contributorKey);
    address internal relayer = makeAddr("relayer");
    uint256 internal datanetId;

    function setUp() public virtual {
        open = new OpenToken(address(this));
        registry = _deployRegistry();
        address[3] memory funded = [owner, curator, contributor];
        for (uint256 i; i < funded.length; ++i) {
            open.transfer(funded[i], 10_000e18);
            vm.prank(funded[i]);
            open.approve(address(registry), type(uint256).max);
        }
        address[] memory curators = new address[](1);
        curators[0] = curator;
        vm.prank(owner);
        datanetId = registry.createDatanet("medical-qa", "ipfs://schema", MIN_STAKE, curators);
        vm.prank(curator);
        registry.stake(datanetId, MIN_STAKE);
    }

    function _deployRegistry() internal returns (DatanetRegistry) {
        DatanetRegistry impl = new DatanetRegistry();
        bytes memory init =
            abi.encodeCall(DatanetRegistry.initialize, (open, governance, treasury, SLASH_BPS, false, COOLDOWN));
        return DatanetRegistry(address(new ERC1967Proxy(address(impl), init)));
    }

    function _stake(address account, uint256 amount) internal {
        vm.prank(account);
        registry.stake(datanetId, amount);
    }

    function _submit(bytes32 root) internal returns (uint256) {
        vm.prank(contributor);
        return registry.submitContribution(datanetId, root, 1_000, "ipfs://batch");
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
