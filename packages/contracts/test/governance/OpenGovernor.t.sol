// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {DeployFixture} from "../script/DeployFixture.sol";
import {OpenGovernor} from "../../src/governance/OpenGovernor.sol";
import {ITokenVesting} from "../../src/vesting/interfaces/ITokenVesting.sol";

contract OpenGovernorTest is DeployFixture {
    address internal voter = HOLDER;

    function setUp() public {
        _deployLocal();
    }

    /// @dev Wraps `amount` OPEN of `who` into GOPEN and self-delegates.
    function _wrapAndDelegate(address who, uint256 amount) internal {
        vm.startPrank(who);
        open.approve(address(gopen), amount);
        gopen.depositFor(who, amount);
        gopen.delegate(who);
        vm.stopPrank();
        vm.warp(block.timestamp + 1);
    }

    function _proposal(bytes memory data)
        internal
        view
        returns (address[] memory t, uint256[] memory v, bytes[] memory c)
    {
        t = new address[](1);
        v = new uint256[](1);
        c = new bytes[](1);
        t[0] = address(governor);
        c[0] = data;
    }

    /// @dev Runs propose -> vote -> queue -> execute for one call to `target`.
    function _pass(address target, bytes memory data, string memory description) internal returns (uint256 id) {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _proposal(data);
        t[0] = target;
        vm.prank(voter);
        id = governor.propose(t, v, c, description);
        vm.warp(governor.proposalSnapshot(id) + 1);
        vm.prank(voter);
        governor.castVote(id, 1);
        vm.warp(governor.proposalDeadline(id) + 1);
        governor.queue(t, v, c, keccak256(bytes(description)));
        vm.warp(block.timestamp + timelock.getMinDelay());
        governor.execute(t, v, c, keccak256(bytes(description)));
    }

    function test_deploy_defaults() public view {
        assertEq(governor.votingDelay(), 1 days);
        assertEq(governor.votingPeriod(), 1 weeks);
        assertEq(governor.proposalThreshold(), 10_000e18);
        assertEq(governor.quorumNumerator(), 5);
        assertEq(governor.lateQuorumVoteExtension(), 2 days);
        assertEq(timelock.getMinDelay(), 1 weeks);
        assertEq(governor.timelock(), address(timelock));
        assertEq(address(governor.token()), address(gopen));
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(governor.clock(), block.timestamp);
        assertEq(governor.name(), "OpenGovernor");
    }

    function test_deploy_rolesEndWithTimelock() public view {
        address deployer = address(script);
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), deployer));
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)));
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(governor)));
        assertFalse(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)));
        assertEq(vesting.owner(), address(timelock));
        assertEq(open.balanceOf(deployer), 0);
    }

    /// @notice The full run: wrap, delegate, propose, vote, queue, execute a parameter change.
    /// forge-config: default.isolate = true
    function test_governance_fullRunChangesVotingPeriod() public {
        vm.startPrank(voter);
        open.approve(address(gopen), 100_000_000e18);
        gopen.depositFor(voter, 100_000_000e18);
        vm.snapshotGasLastCall("Governance", "wrap (depositFor)");
        gopen.delegate(voter);
        vm.snapshotGasLastCall("Governance", "delegate (self, first)");
        vm.stopPrank();
        vm.warp(block.timestamp + 1);

        string memory description = "Set the voting period to two weeks";
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setVotingPeriod, (2 weeks)));
        vm.prank(voter);
        uint256 id = governor.propose(t, v, c, description);
        vm.snapshotGasLastCall("Governance", "propose");
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Pending));
        assertEq(governor.proposalCount(), 1);

        vm.warp(governor.proposalSnapshot(id) + 1);
        vm.prank(voter);
        governor.castVote(id, 1);
        vm.snapshotGasLastCall("Governance", "castVote");
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(id);
        assertEq(forVotes, 100_000_000e18);
        assertEq(against + abstain, 0);

        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Succeeded));
        governor.queue(t, v, c, keccak256(bytes(description)));
        vm.snapshotGasLastCall("Governance", "queue");
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Queued));

        vm.warp(block.timestamp + 1 weeks);
        governor.execute(t, v, c, keccak256(bytes(description)));
        vm.snapshotGasLastCall("Governance", "execute");
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Executed));
        assertEq(governor.votingPeriod(), 2 weeks);
    }

    function test_execute_revertsBeforeTimelockDelay() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        string memory description = "p";
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setProposalThreshold, (1)));
        vm.prank(voter);
        uint256 id = governor.propose(t, v, c, description);
        vm.warp(governor.proposalSnapshot(id) + 1);
        vm.prank(voter);
        governor.castVote(id, 1);
        vm.warp(governor.proposalDeadline(id) + 1);
        governor.queue(t, v, c, keccak256(bytes(description)));
        vm.warp(block.timestamp + 1 weeks - 1);
        vm.expectRevert();
        governor.execute(t, v, c, keccak256(bytes(description)));
    }

    function test_settings_revertIfNotGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, address(this)));
        governor.setVotingDelay(1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, address(this)));
        governor.setVotingPeriod(1 days);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, address(this)));
        governor.setProposalThreshold(1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, address(this)));
        governor.updateQuorumNumerator(1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, address(this)));
        governor.setLateQuorumVoteExtension(1);
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, address(this)));
        timelock.updateDelay(1);
    }

    function test_propose_revertsBelowThreshold() public {
        _wrapAndDelegate(voter, 10_000e18 - 1);
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setVotingDelay, (2 days)));
        vm.prank(voter);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorInsufficientProposerVotes.selector, voter, 10_000e18 - 1, 10_000e18
            )
        );
        governor.propose(t, v, c, "too small");
    }

    function test_governance_changesEverySetting() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        _pass(address(governor), abi.encodeCall(governor.setVotingDelay, (2 days)), "delay");
        _pass(address(governor), abi.encodeCall(governor.setProposalThreshold, (50_000e18)), "threshold");
        _pass(address(governor), abi.encodeCall(governor.updateQuorumNumerator, (4)), "quorum");
        _pass(address(governor), abi.encodeCall(governor.setLateQuorumVoteExtension, (3 days)), "extension");
        _pass(address(timelock), abi.encodeCall(timelock.updateDelay, (3 days)), "timelock delay");
        assertEq(governor.votingDelay(), 2 days);
        assertEq(governor.proposalThreshold(), 50_000e18);
        assertEq(governor.quorumNumerator(), 4);
        assertEq(governor.lateQuorumVoteExtension(), 3 days);
        assertEq(timelock.getMinDelay(), 3 days);
    }

    function test_governance_revokesTeamGrantUnvestedPart() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        vm.warp(tge + 24 * 2_629_746); // one third of the 36-month linear part vested
        _pass(address(vesting), abi.encodeCall(vesting.revoke, (1)), "revoke grant 1");
        ITokenVesting.Grant memory g = vesting.grant(1);
        assertGt(g.revokedAt, 0);
        uint256 vested = uint256(90_000_000e18) * (g.revokedAt - tge - g.cliff) / g.duration;
        assertEq(g.amount, vested);
        assertGt(vested, 30_000_000e18); // at least a third, less than all
        assertLt(vested, 90_000_000e18);
        assertEq(open.balanceOf(address(timelock)), 90_000_000e18 - vested);
        vm.prank(TEAM_A);
        vesting.release(1);
        assertEq(open.balanceOf(TEAM_A), g.amount);
    }

    function test_lateQuorum_extendsDeadline() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setVotingDelay, (2 days)));
        vm.prank(voter);
        uint256 id = governor.propose(t, v, c, "late");
        uint256 deadline = governor.proposalDeadline(id);
        vm.warp(deadline - 1 hours);
        vm.prank(voter);
        governor.castVote(id, 1);
        assertEq(governor.proposalDeadline(id), block.timestamp + 2 days);
        vm.warp(deadline + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active));
    }

    function test_cancel_byProposerWhilePending() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setVotingDelay, (2 days)));
        vm.prank(voter);
        uint256 id = governor.propose(t, v, c, "cancel me");
        vm.prank(INVESTOR_1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, id, INVESTOR_1));
        governor.cancel(id);
        vm.prank(voter);
        governor.cancel(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
    }

    function test_castVote_revertsBeforeVotingStarts() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setVotingDelay, (2 days)));
        vm.prank(voter);
        uint256 id = governor.propose(t, v, c, "early");
        vm.prank(voter);
        vm.expectRevert();
        governor.castVote(id, 1);
    }

    function test_quorum_isFivePercentOfGopenSupply() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        assertEq(governor.quorum(block.timestamp - 1), 5_000_000e18);
    }

    function test_proposalStorage_enumeratesAndQueuesById() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setVotingDelay, (2 days)));
        vm.prank(voter);
        uint256 id = governor.propose(t, v, c, "stored");
        (uint256 storedId, address[] memory st,,, bytes32 dh) = governor.proposalDetailsAt(0);
        assertEq(storedId, id);
        assertEq(st[0], address(governor));
        assertEq(dh, keccak256("stored"));
        vm.warp(governor.proposalSnapshot(id) + 1);
        vm.prank(voter);
        governor.castVote(id, 1);
        vm.warp(governor.proposalDeadline(id) + 1);
        governor.queue(id);
        vm.warp(block.timestamp + 1 weeks);
        governor.execute(id);
        assertEq(governor.votingDelay(), 2 days);
    }

    function test_defeated_whenQuorumNotReached() public {
        _wrapAndDelegate(voter, 100_000_000e18);
        _wrapAndDelegate(TEAM_A, 0);
        vm.prank(HOLDER);
        open.transfer(INVESTOR_1, 1_000_000e18);
        _wrapAndDelegate(INVESTOR_1, 1_000_000e18);
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _proposal(abi.encodeCall(governor.setVotingDelay, (2 days)));
        vm.prank(voter);
        uint256 id = governor.propose(t, v, c, "small turnout");
        vm.warp(governor.proposalSnapshot(id) + 1);
        vm.prank(INVESTOR_1);
        governor.castVote(id, 1); // 1M of 101M < 5% quorum
        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
    }
}
