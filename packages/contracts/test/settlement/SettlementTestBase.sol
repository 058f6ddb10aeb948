// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {AttributionSettlement} from "../../src/settlement/AttributionSettlement.sol";

/// @dev Deploys OPEN and the settlement; loads the Merkle fixtures written by script/gen-merkle-fixture.mjs.
abstract contract SettlementTestBase is Test {
    struct FixtureLeaf {
        address account;
        uint256 amount1;
        bytes32[] proof1;
        uint256 amount2;
        bytes32[] proof2;
    }

    struct Fixture {
        bytes32 root1;
        uint256 total1;
        bytes32 root2;
        uint256 total2;
        FixtureLeaf[] leaves;
    }

    uint64 internal constant WINDOW = 1 days;

    OpenToken internal open;
    AttributionSettlement internal settlement;
    address internal governance = makeAddr("timelock");
    address internal settler = makeAddr("settler");
    address internal guardian = makeAddr("guardian");
    address internal funder = makeAddr("funder");

    function setUp() public virtual {
        open = new OpenToken(address(this));
        settlement = new AttributionSettlement(open, governance, settler, guardian, WINDOW);
        open.transfer(funder, 200_000_000e18);
        vm.prank(funder);
        open.approve(address(settlement), type(uint256).max);
    }

    function _fund(uint64 epoch, uint256 amount) internal {
        vm.prank(funder);
        settlement.fund(epoch, amount);
    }

    function _post(uint64 epoch, bytes32 root, uint256 total) internal {
        vm.prank(settler);
        settlement.postRoot(epoch, root, total, "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    }

    function _loadFixture(string memory file) internal view returns (Fixture memory f) {
        string memory json = vm.readFile(string.concat("test/fixtures/", file));
        f.root1 = vm.parseJsonBytes32(json, ".epoch1.root");
        f.total1 = vm.parseUint(vm.parseJsonString(json, ".epoch1.total"));
        f.root2 = vm.parseJsonBytes32(json, ".epoch2.root");
        f.total2 = vm.parseUint(vm.parseJsonString(json, ".epoch2.total"));
        uint256 n;
        while (vm.keyExistsJson(json, string.concat(".leaves[", vm.toString(n), "]"))) ++n;
        f.leaves = new FixtureLeaf[](n);
        for (uint256 i; i < n; ++i) {
            string memory p = string.concat(".leaves[", vm.toString(i), "]");
            f.leaves[i] = FixtureLeaf({
                account: vm.parseJsonAddress(json, string.concat(p, ".account")),
                amount1: vm.parseUint(vm.parseJsonString(json, string.concat(p, ".amount1"))),
                proof1: vm.parseJsonBytes32Array(json, string.concat(p, ".proof1")),
                amount2: vm.parseUint(vm.parseJsonString(json, string.concat(p, ".amount2"))),
                proof2: vm.parseJsonBytes32Array(json, string.concat(p, ".proof2"))
            });
        }
    }

    /// @dev The StandardMerkleTree leaf of (account, amount).
    function _leaf(address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    /// @dev The sorted-pair parent, as OpenZeppelin's MerkleProof and merkle-tree compute it.
    function _parent(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}
