using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Tests.Infrastructure;

namespace HealthBlock.Storage.Tests;

/// <summary>What the embedded store does beyond the conformance suite: layout, durability bookkeeping, verify, enumeration.</summary>
public sealed class EmbeddedContentStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_block_is_one_file_named_by_its_CID_in_a_shard_of_the_two_characters_before_the_last()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));

        var cid = await store.PutAsync(TestBlocks.HelloWorld);

        var text = cid.ToString();
        var expected = Path.Combine(_folder.Sub("store"), "blocks", text[^3..^1], text);
        Assert.Equal(expected, store.GetBlockPath(cid));
        Assert.Equal(TestBlocks.HelloWorld, await File.ReadAllBytesAsync(expected));
    }

    [Fact]
    public async Task Puts_leave_no_temporary_files_behind()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.PutAsync(TestBlocks.Random(3000, i % 5))));

        var files = Directory.GetFiles(_folder.Sub("store"), "*", SearchOption.AllDirectories);
        Assert.Equal(5, files.Length);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blocks_and_pins_survive_reopening_the_folder()
    {
        var path = _folder.Sub("store");
        var first = new EmbeddedContentStore(path);
        var pinned = await first.PutAsync(TestBlocks.Random(100, 1));
        var unpinned = await first.PutAsync(TestBlocks.Random(100, 2));
        await first.PinAsync(pinned);

        var reopened = new EmbeddedContentStore(path);

        Assert.Equal(TestBlocks.Random(100, 1), await reopened.GetAsync(pinned));
        Assert.True(reopened.IsPinned(pinned));
        Assert.False(reopened.IsPinned(unpinned));
        Assert.Equal([pinned], reopened.EnumeratePinnedCids());
    }

    [Fact]
    public async Task Enumeration_lists_every_stored_CID_once_and_skips_foreign_files()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        var cids = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => store.PutAsync(TestBlocks.Random(200, i))));
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(store.GetBlockPath(cids[0]))!, "notes.txt"), "not a block");

        var listed = store.EnumerateCids().ToHashSet();

        Assert.Equal(cids.ToHashSet(), listed);
    }

    [Fact]
    public async Task VerifyAll_reports_the_tampered_blocks_and_foreign_files_and_nothing_else()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        var cids = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => store.PutAsync(TestBlocks.Random(5000, i))));
        Tamper.Corrupt(store, cids[3]);
        Tamper.Corrupt(store, cids[7], truncate: true);
        var foreign = Path.Combine(Path.GetDirectoryName(store.GetBlockPath(cids[0]))!, "stray.bin");
        await File.WriteAllBytesAsync(foreign, [1, 2, 3]);

        var report = await store.VerifyAllAsync();

        Assert.False(report.IsIntact);
        Assert.Equal(10, report.BlocksChecked);
        Assert.Equal(new[] { cids[3], cids[7] }.ToHashSet(), report.Tampered.ToHashSet());
        Assert.Equal([foreign], report.UnrecognisedFiles);
        Assert.Equal(store.Name, report.Store);
    }

    [Fact]
    public async Task VerifyAll_of_an_untouched_store_is_intact()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => store.PutAsync(TestBlocks.Random(5000, i))));

        var report = await store.VerifyAllAsync();

        Assert.True(report.IsIntact);
        Assert.Equal(5, report.BlocksChecked);
    }

    [Fact]
    public async Task A_block_moved_under_another_CID_is_reported_as_tampered()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        var a = await store.PutAsync(TestBlocks.Random(64, 1));
        var b = await store.PutAsync(TestBlocks.Random(64, 2));
        File.Copy(store.GetBlockPath(a), store.GetBlockPath(b), overwrite: true);

        var error = await Assert.ThrowsAsync<BlockTamperedException>(() => store.GetAsync(b));

        Assert.Equal(b, error.Cid);
    }

    [Fact]
    public async Task A_file_larger_than_any_block_is_reported_as_tampered_without_being_returned()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        var cid = await store.PutAsync(TestBlocks.Random(10, 1));
        await File.WriteAllBytesAsync(store.GetBlockPath(cid), new byte[ContentStoreLimits.MaxBlockSize + 10]);

        var error = await Assert.ThrowsAsync<BlockTamperedException>(() => store.GetAsync(cid));

        Assert.Contains("more than any block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Putting_a_block_again_repairs_a_tampered_copy()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        var block = TestBlocks.Random(4096, 9);
        var cid = await store.PutAsync(block);
        Tamper.Corrupt(store, cid);

        await store.PutAsync(block);

        Assert.Equal(block, await store.GetAsync(cid));
    }

    [Fact]
    public async Task Opening_a_store_removes_stale_temporary_files_and_keeps_fresh_ones()
    {
        var path = _folder.Sub("store");
        var store = new EmbeddedContentStore(path);
        var cid = await store.PutAsync(TestBlocks.Random(10, 1));
        var shard = Path.GetDirectoryName(store.GetBlockPath(cid))!;
        var stale = Path.Combine(shard, $"{cid}.dead.tmp");
        var fresh = Path.Combine(shard, $"{cid}.live.tmp");
        await File.WriteAllBytesAsync(stale, [1]);
        await File.WriteAllBytesAsync(fresh, [1]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));

        _ = new EmbeddedContentStore(path);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task Has_does_not_read_the_block_so_a_tampered_block_is_still_present()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        var cid = await store.PutAsync(TestBlocks.Random(100, 3));
        Tamper.Corrupt(store, cid);

        Assert.True(await store.HasAsync(cid));
        await Assert.ThrowsAsync<BlockTamperedException>(() => store.GetAsync(cid));
    }

    [Fact]
    public void Opening_creates_the_folder_and_names_the_store_by_its_full_path()
    {
        var path = Path.Combine(_folder.Path, "a", "b", "store");

        var store = new EmbeddedContentStore(path);

        Assert.True(Directory.Exists(Path.Combine(path, "blocks")));
        Assert.True(Directory.Exists(Path.Combine(path, "pins")));
        Assert.Contains(path, store.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_disk_write_gives_a_StoreException_naming_the_block_and_store()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));
        var block = TestBlocks.Unique();
        var cid = Cid.Compute(block);
        var shard = Path.GetDirectoryName(store.GetBlockPath(cid))!;
        await File.WriteAllBytesAsync(shard, [0]); // a file where the shard folder must go: creating it fails, even as root

        var error = await Assert.ThrowsAsync<StoreException>(() => store.PutAsync(block));

        Assert.Equal(cid, error.Cid);
        Assert.Equal(store.Name, error.Store);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }
}
