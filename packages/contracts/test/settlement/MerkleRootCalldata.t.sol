// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {MerkleRootCalldata} from "../../src/settlement/MerkleRootCalldata.sol";

/// @dev Calls both implementations on the same calldata proof.
contract MerkleRootHarness {
    function ours(bytes32[] calldata proof, bytes32 leaf) external pure returns (bytes32) {
        return MerkleRootCalldata.rootOf(proof, leaf);
    }

    function openZeppelin(bytes32[] calldata proof, bytes32 leaf) external pure returns (bytes32) {
        return MerkleProof.processProofCalldata(proof, leaf);
    }
}

contract MerkleRootCalldataTest is Test {
    MerkleRootHarness internal harness = new MerkleRootHarness();

    /// @dev Random proofs, including equal neighbours and extreme values, give OpenZeppelin's root.
    function testFuzz_rootOf_matchesOpenZeppelin(bytes32 leaf, bytes32[] memory proof, uint8 equalAt) public view {
        vm.assume(proof.length <= 40);
        if (proof.length > 0) {
            // make one sibling equal to the running node's input and another extreme, to hit the edge cases
            proof[equalAt % proof.length] = leaf;
            proof[(uint256(equalAt) + 1) % proof.length] = equalAt % 2 == 0 ? bytes32(0) : bytes32(type(uint256).max);
        }
        assertEq(harness.ours(proof, leaf), harness.openZeppelin(proof, leaf));
    }

    function test_rootOf_emptyProofIsTheLeaf() public view {
        assertEq(harness.ours(new bytes32[](0), bytes32(uint256(7))), bytes32(uint256(7)));
    }

    /// @dev A real proof from the 100k fixture (written by OpenZeppelin's merkle-tree package) leads to its root.
    function test_rootOf_fixtureProof() public view {
        string memory json = vm.readFile("test/fixtures/merkle-100k.json");
        bytes32[] memory proof = vm.parseJsonBytes32Array(json, ".leaves[0].proof1");
        address account = vm.parseJsonAddress(json, ".leaves[0].account");
        uint256 amount = vm.parseUint(vm.parseJsonString(json, ".leaves[0].amount1"));
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        assertEq(harness.ours(proof, leaf), vm.parseJsonBytes32(json, ".epoch1.root"));
        proof[3] = bytes32(uint256(proof[3]) ^ 1);
        assertTrue(harness.ours(proof, leaf) != vm.parseJsonBytes32(json, ".epoch1.root"));
    }
}
