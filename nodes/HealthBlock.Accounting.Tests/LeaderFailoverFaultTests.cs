using HealthBlock.Faults;
using Xunit.Abstractions;

namespace HealthBlock.Accounting.Tests;

[Trait("Category", "Slow")]
public sealed class LeaderFailoverFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_leader_under_load_loses_no_committed_transaction()
    {
        var root = Path.Combine(Path.GetTempPath(), "hb-failover-" + Guid.NewGuid().ToString("N"));
        try
        {
            var report = await LeaderFailover.RunAsync(3, root, output.WriteLine);

            Assert.True(report.Committed > 0);
            Assert.Equal(0, report.Lost);
            Assert.True(report.SameStateHash);
            Assert.Equal(3, report.NewLeaderMs.Count);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
