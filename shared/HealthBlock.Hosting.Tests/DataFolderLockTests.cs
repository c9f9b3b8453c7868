namespace HealthBlock.Hosting.Tests;

public sealed class DataFolderLockTests
{
    [Fact]
    public void A_second_taker_is_refused_naming_the_holders_pid_and_the_lock_is_free_again_after_dispose()
    {
        using var temp = new TempFolder();
        var folder = temp.Sub("node");

        using (var first = DataFolderLock.Take(folder, "accounting"))
        {
            var e = Assert.Throws<DataFolderInUseException>(() => DataFolderLock.Take(folder, "accounting"));
            Assert.Equal(Environment.ProcessId, e.Pid);
            Assert.Contains($"already running as pid {Environment.ProcessId}", e.Message, StringComparison.Ordinal);
            Assert.Contains(Path.GetFullPath(folder), e.Message, StringComparison.Ordinal);
            Assert.Null(DataFolderLock.TryTake(folder, "accounting"));
            Assert.NotNull(DataFolderLock.TryTake(folder, "doctor"));
        }

        using var again = DataFolderLock.Take(folder, "accounting");
        Assert.Equal(Environment.ProcessId, DataFolderLock.HolderPid(folder, "accounting"));
    }
}
