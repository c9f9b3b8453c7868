namespace HealthBlock.Cli.Tests;

public sealed class StoreCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Put_get_and_verify_round_trip_and_a_modified_block_is_named()
    {
        var store = _temp.Sub("store");
        File.WriteAllText(_temp.Sub("a.txt"), "hello world");
        File.WriteAllBytes(_temp.Sub("b.bin"), [1, 2, 3, 4]);

        var put = new CliRunner().Run("store", "put", _temp.Sub("a.txt"), "--store", store);
        Assert.Equal(0, put.ExitCode);
        Assert.Equal("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", put.Out.Trim());
        var other = new CliRunner().Run("store", "put", _temp.Sub("b.bin"), "--store", store).Out.Trim();

        Assert.Equal(0, new CliRunner().Run("store", "get", put.Out.Trim(), "--out", _temp.Sub("back.txt"), "--store", store).ExitCode);
        Assert.Equal("hello world", File.ReadAllText(_temp.Sub("back.txt")));
        var ok = new CliRunner().Run("store", "verify", "--store", store);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("2 blocks checked, 0 tampered", ok.Out, StringComparison.Ordinal);

        var path = Directory.EnumerateFiles(Path.Combine(store, "blocks"), other, SearchOption.AllDirectories).Single();
        File.WriteAllBytes(path, [9, 9, 9, 9]);
        var bad = new CliRunner().Run("store", "verify", "--store", store);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"TAMPERED {other}", bad.Out, StringComparison.Ordinal);
        var get = new CliRunner().Run("store", "get", other, "--out", _temp.Sub("x"), "--store", store);
        Assert.Equal(2, get.ExitCode);
        Assert.Contains(other, get.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_stores_make_a_replicated_store_a_block_lives_on_a_majority_and_is_read_from_any_that_holds_it()
    {
        string[] folders = [_temp.Sub("s1"), _temp.Sub("s2"), _temp.Sub("s3")];
        var stores = string.Join(',', folders);
        File.WriteAllText(_temp.Sub("reading.txt"), "a sealed batch stands in here");

        var put = new CliRunner().Run("store", "put", _temp.Sub("reading.txt"), "--store", stores);
        Assert.Equal(0, put.ExitCode);
        var cid = put.Out.Trim();
        var holders = folders.Where(f => Directory.Exists(Path.Combine(f, "blocks"))
            && Directory.EnumerateFiles(Path.Combine(f, "blocks"), cid, SearchOption.AllDirectories).Any()).ToList();
        Assert.True(holders.Count >= 2, $"the block is on {holders.Count} of 3 stores; a majority is 2");

        foreach (var lost in holders.Skip(1))
        {
            Directory.Delete(lost, recursive: true);
        }

        var get = new CliRunner().Run("store", "get", cid, "--out", _temp.Sub("back.txt"), "--store", folders[0], folders[1], folders[2]);
        Assert.Equal(0, get.ExitCode);
        Assert.Equal("a sealed batch stands in here", File.ReadAllText(_temp.Sub("back.txt")));

        Directory.Delete(holders[0], recursive: true);
        var gone = new CliRunner().Run("store", "get", cid, "--out", _temp.Sub("none.txt"), "--store", stores);
        Assert.Equal(2, gone.ExitCode);
        Assert.Contains(cid, gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_blocks_and_bad_cids_are_refused_with_a_reason()
    {
        File.WriteAllBytes(_temp.Sub("big.bin"), new byte[(1024 * 1024) + 1]);
        var big = new CliRunner().Run("store", "put", _temp.Sub("big.bin"), "--store", _temp.Sub("store"));
        Assert.Equal(2, big.ExitCode);
        Assert.Contains("1,048,577 bytes", big.Error, StringComparison.Ordinal);

        var badCid = new CliRunner().Run("store", "get", "QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u", "--out", _temp.Sub("x"), "--store", _temp.Sub("store"));
        Assert.Equal(2, badCid.ExitCode);
        Assert.Contains("CIDv1", badCid.Error, StringComparison.Ordinal);
    }
}
