// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {DatanetRegistry} from "../../src/datanet/DatanetRegistry.sol";
import {ModelRegistry} from "../../src/model/ModelRegistry.sol";
import {FeeEscrow} from "../../src/escrow/FeeEscrow.sol";
import {AttributionSettlement} from "../../src/settlement/AttributionSettlement.sol";
import {IDatanetRegistry} from "../../src/interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../../src/interfaces/IModelRegistry.sol";
import {IFeeEscrow} from "../../src/interfaces/IFeeEscrow.sol";
import {IAttributionSettlement} from "../../src/interfaces/IAttributionSettlement.sol";

/// @notice The whole loop: stake, submit (relayed), accept, register an adapter, deposit, authorize,
/// collect, post the epoch root, wait out the challenge window, claim.
contract EconomyLoopTest is Test {
    OpenToken internal open;
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    AttributionSettlement internal settlement;
    FeeEscrow internal escrow;

    address internal timelock = makeAddr("timelock");
    address internal treasury = makeAddr("treasury");
    address internal curatorPool = makeAddr("curator pool");
    address internal gateway = makeAddr("gateway");
    address internal worker = makeAddr("attribution worker");
    address internal guardian = makeAddr("guardian");
    address internal datanetOwner = makeAddr("datanet owner");
    address internal curator = makeAddr("curator");
    address internal modelOwner = makeAddr("model owner");
    uint256 internal aliceKey = 0xA11CE;
    address internal alice = vm.addr(aliceKey);
    address internal bob = makeAddr("bob");
    uint256 internal callerKey = 0xCA11;
    address internal caller = vm.addr(callerKey);

    function setUp() public {
        open = new OpenToken(address(this));
        datanets = DatanetRegistry(
            address(
                new ERC1967Proxy(
                    address(new DatanetRegistry()),
                    abi.encodeCall(DatanetRegistry.initialize, (open, timelock, treasury, 2_000, false, 7 days))
                )
            )
        );
        models = ModelRegistry(
            address(
                new ERC1967Proxy(
                    address(new ModelRegistry()),
                    abi.encodeCall(ModelRegistry.initialize, (IDatanetRegistry(address(datanets)), timelock))
                )
            )
        );
        settlement = new AttributionSettlement(open, timelock, worker, guardian, 1 days);
        escrow = new FeeEscrow(
            open,
            timelock,
            gateway,
            treasury,
            curatorPool,
            address(settlement),
            IFeeEscrow.FeeShares({
                protocolBps: 1_000, modelOwnerBps: 3_000, contributorsBps: 5_000, curatorsBps: 1_000
            }),
            1 days
        );
        address[4] memory holders = [curator, alice, bob, caller];
        for (uint256 i; i < holders.length; ++i) {
            open.transfer(holders[i], 1_000e18);
        }
    }

    uint256 internal datanetId;
    uint256 internal aliceContribution;
    uint256 internal bobContribution;
    uint256 internal adapterId;
    uint256 internal fee;
    uint256 internal contributorsShare;

    function test_wholeLoop_feesReachContributorsThroughClaims() public {
        _stakeSubmitAccept();
        _registerAdapter();
        _depositAuthorizeCollect();
        _postRootWaitClaim();
        assertEq(escrow.spent(caller, gateway), fee);
        assertEq(escrow.balanceOf(caller), 100e18 - fee);
        // every collected wei went somewhere: treasury, model owner, curators, contributors
        assertEq(
            open.balanceOf(treasury) + open.balanceOf(modelOwner) + open.balanceOf(curatorPool) + contributorsShare, fee
        );
    }

    /// @dev 1-3: a datanet with a staked curator; alice submits through a relayer, bob directly; both accepted.
    function _stakeSubmitAccept() internal {
        address[] memory curators = new address[](1);
        curators[0] = curator;
        vm.prank(datanetOwner);
        datanetId = datanets.createDatanet("medical-qa", "ipfs://schema", 50e18, curators);
        address[3] memory stakers = [curator, alice, bob];
        for (uint256 i; i < 3; ++i) {
            vm.startPrank(stakers[i]);
            open.approve(address(datanets), 50e18);
            datanets.stake(datanetId, 50e18);
            vm.stopPrank();
        }
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest =
            datanets.hashContribution(datanetId, keccak256("alice-batch"), 300, "ipfs://alice", alice, 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, digest);
        vm.prank(makeAddr("datanet service"));
        aliceContribution = datanets.submitContributionFor(
            datanetId, keccak256("alice-batch"), 300, "ipfs://alice", alice, deadline, abi.encodePacked(r, s, v)
        );
        vm.prank(bob);
        bobContribution = datanets.submitContribution(datanetId, keccak256("bob-batch"), 100, "ipfs://bob");
        vm.startPrank(curator);
        datanets.acceptContribution(aliceContribution, 0); // weight defaults to the record count
        datanets.acceptContribution(bobContribution, 0);
        vm.stopPrank();
        assertEq(datanets.contribution(aliceContribution).weight, 300);
        assertEq(
            uint8(datanets.contribution(bobContribution).status), uint8(IDatanetRegistry.ContributionStatus.Accepted)
        );
    }

    /// @dev 4: a base model and an adapter trained on the datanet.
    function _registerAdapter() internal {
        vm.startPrank(modelOwner);
        uint256 baseId = models.registerBaseModel("base-1b", keccak256("base.gguf"), "ipfs://base");
        uint256[] memory trainedOn = new uint256[](1);
        trainedOn[0] = datanetId;
        adapterId =
            models.registerAdapter(baseId, "med-lora", keccak256("lora.gguf"), "ipfs://lora", 16, trainedOn, 1e18);
        vm.stopPrank();
        IModelRegistry.AdapterVersion memory version = models.latestVersion(adapterId);
        assertEq(version.datanetIds[0], datanetId);
    }

    /// @dev 5-6: the caller deposits and authorizes the gateway, which collects for 20,000 tokens in epoch 1.
    function _depositAuthorizeCollect() internal {
        vm.startPrank(caller);
        open.approve(address(escrow), 100e18);
        escrow.deposit(100e18);
        vm.stopPrank();
        IFeeEscrow.SpendingAuthorization memory auth = IFeeEscrow.SpendingAuthorization({
            payer: caller, operator: gateway, cap: 40e18, expiry: uint64(block.timestamp + 30 days)
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(callerKey, escrow.hashAuthorization(auth));
        fee = 20 * models.latestVersion(adapterId).pricePer1kTokens;
        address owner = models.adapter(adapterId).owner; // the gateway reads who to pay from the registry
        vm.prank(gateway);
        escrow.collect(auth, abi.encodePacked(r, s, v), fee, owner, 1);
        contributorsShare = fee * 5_000 / 10_000;
        assertEq(settlement.fundedOf(1), contributorsShare);
        assertEq(open.balanceOf(modelOwner), fee * 3_000 / 10_000);
    }

    /// @dev 7-8: the worker splits by weight (300:100) and posts; after the window anyone claims for anyone.
    function _postRootWaitClaim() internal {
        uint256 aliceReward = contributorsShare * 300 / 400;
        uint256 bobReward = contributorsShare - aliceReward;
        bytes32 aliceLeaf = keccak256(bytes.concat(keccak256(abi.encode(alice, aliceReward))));
        bytes32 bobLeaf = keccak256(bytes.concat(keccak256(abi.encode(bob, bobReward))));
        bytes32 root =
            aliceLeaf < bobLeaf ? keccak256(abi.encode(aliceLeaf, bobLeaf)) : keccak256(abi.encode(bobLeaf, aliceLeaf));
        vm.prank(worker);
        settlement.postRoot(1, root, contributorsShare, "ipfs://epoch-1");
        bytes32[] memory aliceProof = new bytes32[](1);
        aliceProof[0] = bobLeaf;
        bytes32[] memory bobProof = new bytes32[](1);
        bobProof[0] = aliceLeaf;
        vm.expectRevert(
            abi.encodeWithSelector(
                IAttributionSettlement.SettlementRootPending.selector, root, uint64(block.timestamp + 1 days)
            )
        );
        settlement.claim(alice, aliceReward, aliceProof);
        vm.warp(block.timestamp + 1 days);
        uint256 aliceBefore = open.balanceOf(alice);
        settlement.claim(alice, aliceReward, aliceProof);
        vm.prank(bob);
        settlement.claim(bob, bobReward, bobProof);
        assertEq(open.balanceOf(alice) - aliceBefore, aliceReward);
        assertEq(open.balanceOf(address(settlement)), 0);
    }
}
