using System.Text;
using HealthBlock.Crypto;
using HealthBlock.Protocol;

namespace HealthBlock.Fuzz.Tests;

/// <summary>The fuzz harness itself: it must catch what it claims to catch, and its structure-aware mutators must start from faithful trees.</summary>
public sealed class HarnessTests : IDisposable
{
    private readonly HealthBlockTargets _targets = new();

    public void Dispose() => _targets.Dispose();

    private static FuzzTarget Target(Func<byte[], FuzzOutcome> run, params byte[][] seeds) => new()
    {
        Name = "test",
        Decoder = "test",
        Seeds = seeds.Length > 0 ? seeds : [[0x41, 0x41, 0x41, 0x41]],
        Shape = InputShape.Binary,
        Expected = [typeof(ProtocolException)],
        Run = run,
    };

    [Fact]
    public void An_undocumented_exception_is_a_crash_recorded_with_its_input()
    {
        var target = Target(input => input.Length > 0 && input[0] == 0x42 ? throw new IndexOutOfRangeException("boom") : throw new ProtocolException("refused"));

        var result = new FuzzRunner(new FuzzOptions()).Replay(target, [[0x01], [0x42, 0x43], [0x02]]);

        Assert.Equal(3, result.Inputs);
        Assert.Equal(2, result.Rejected);
        Assert.Equal(1, result.CrashCount);
        var crash = Assert.Single(result.Crashes);
        Assert.Equal(CrashKind.Exception, crash.Kind);
        Assert.Equal("System.IndexOutOfRangeException", crash.ExceptionType);
        Assert.Equal("4243", crash.InputHex);
        Assert.Contains("boom", crash.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_over_the_time_budget_is_a_hang_recorded_with_its_input()
    {
        using var release = new ManualResetEventSlim();
        var target = Target(input =>
        {
            if (input.SequenceEqual("stuck"u8.ToArray()))
            {
                release.Wait(TimeSpan.FromMinutes(1));
            }

            return FuzzOutcome.Accepted;
        });

        var result = new FuzzRunner(new FuzzOptions { TimeBudget = TimeSpan.FromMilliseconds(200) }).Replay(target, [[1], "stuck"u8.ToArray(), [2]]);
        release.Set();

        Assert.True(result.Hung);
        var crash = Assert.Single(result.Crashes);
        Assert.Equal(CrashKind.Hang, crash.Kind);
        Assert.Equal(Convert.ToHexStringLower("stuck"u8), crash.InputHex);
    }

    [Fact]
    public void An_input_over_the_allocation_budget_is_a_memory_crash()
    {
        var target = Target(input =>
        {
            var big = new byte[input[0] * 1024 * 1024];
            GC.KeepAlive(big);
            return FuzzOutcome.Accepted;
        });

        var result = new FuzzRunner(new FuzzOptions { AllocationBudget = 16 * 1024 * 1024 }).Replay(target, [[1], [40]]);

        var crash = Assert.Single(result.Crashes);
        Assert.Equal(CrashKind.Memory, crash.Kind);
        Assert.Equal("28", crash.InputHex);
    }

    [Fact]
    public void A_contract_violation_is_a_crash()
    {
        var target = Target(_ => throw new FuzzContractException("re-encodes to other bytes"));
        var result = new FuzzRunner(new FuzzOptions()).Replay(target, [[7]]);
        Assert.Equal(CrashKind.Contract, Assert.Single(result.Crashes).Kind);
    }

    [Fact]
    public void Crashes_of_a_known_issue_are_counted_apart_and_its_inputs_can_be_skipped()
    {
        var issue = new KnownIssue("known", "inputs starting with 0x66 throw")
        {
            MatchesCrash = (_, input) => input[0] == 0x66,
            MatchesInput = input => input[0] == 0x66,
        };
        var target = new FuzzTarget
        {
            Name = "test",
            Decoder = "test",
            Seeds = [[0]],
            Shape = InputShape.Binary,
            Expected = [],
            Run = input => input[0] is 0x66 or 0x77 ? throw new InvalidCastException() : FuzzOutcome.Accepted,
            KnownIssues = [issue],
        };

        var result = new FuzzRunner(new FuzzOptions()).Replay(target, [[0x66], [0x77], [0x01]]);
        Assert.Equal((2L, 1L, 1L), (result.CrashCount, result.KnownCrashCount, result.NewCrashCount));
        Assert.Equal("known", result.Crashes.Single(c => c.InputHex == "66").KnownIssueId);

        var skipping = new FuzzRunner(new FuzzOptions { SkipKnownIssueInputs = true }).Replay(target, [[0x66], [0x01]]);
        Assert.Equal((0L, 1L, 1L), (skipping.CrashCount, skipping.Skipped, skipping.Accepted));
    }

    [Fact]
    public void The_same_seed_gives_the_same_inputs()
    {
        var target = _targets["tx.decode"];
        var a = new InputGenerator(target, 5, 0.15);
        var b = new InputGenerator(target, 5, 0.15);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(a.Next(), b.Next());
        }
    }

    [Fact]
    public void Most_generated_inputs_differ_from_the_seeds()
    {
        var target = _targets["block.decode"];
        var generator = new InputGenerator(target, 1, 0.15);
        var seeds = target.Seeds.Select(Convert.ToHexString).ToHashSet();
        var fresh = Enumerable.Range(0, 1000).Count(_ => !seeds.Contains(Convert.ToHexString(generator.Next())));
        Assert.True(fresh > 900, $"{fresh} of 1000 inputs differ from the seeds");
    }

    [Theory]
    [InlineData("tx.decode")]
    [InlineData("txbody.decode")]
    [InlineData("block.decode")]
    [InlineData("blockheader.decode")]
    [InlineData("iotbatch.decode")]
    public void Cbor_seeds_parse_into_trees_that_encode_to_the_same_bytes(string name)
    {
        foreach (var seed in _targets[name].Seeds)
        {
            var tree = CborNode.TryParse(seed);
            Assert.NotNull(tree);
            Assert.Equal(seed, tree.Encode());
        }
    }

    [Fact]
    public void Nested_cbor_inside_byte_strings_is_parsed_so_inner_mutations_keep_outer_lengths_right()
    {
        var block = _targets.Blocks.Last().Encode();
        var tree = CborNode.TryParse(block)!;
        var header = tree.Children![0];
        Assert.NotNull(header.Nested);

        // Grow the header's height (key 2) into a longer integer: the outer byte string's length follows.
        Assert.Equal(2UL, header.Nested!.Children![4].Argument);
        header.Nested.Children[5].Argument = 100_000;
        var mutated = tree.Encode();
        Assert.Equal(block.Length + 4, mutated.Length);
        Assert.Equal(100_000UL, HealthBlock.Protocol.Ledger.Block.Decode(mutated).Header.Height);
    }

    [Fact]
    public void Key_file_der_parses_into_a_tree_that_encodes_to_the_same_bytes_and_iterations_can_be_rewritten()
    {
        using var key = IdentityKey.Generate();
        var text = KeyFile.Export(key, "patient", "pw", iterations: 1);
        foreach (var (_, _, _, der) in PemMutator.FindBlocks(text))
        {
            var tree = DerNode.TryParse(der);
            Assert.NotNull(tree);
            Assert.Equal(der, tree.Encode());
        }

        var raised = FuzzRegressionTests.WithIterations(text, [0x03, 0xe8]);
        Assert.Equal(1000, KnownIssues.MaxDeclaredInteger(Encoding.UTF8.GetBytes(raised)));
        // Another iteration count derives another key: the file no longer decrypts.
        Assert.Equal(CryptoError.KeyFile, Assert.Throws<CryptoException>(() => KeyFile.Import(raised, "pw")).Error);
    }
}
