using System.Net;
using HealthBlock.Gateway.Ingest;

namespace HealthBlock.Gateway.Tests;

public sealed class NeighbourTableTests
{
    private const string Table =
        "IP address       HW type     Flags       HW address            Mask     Device\n" +
        "192.168.4.1      0x1         0x2         DC:A6:32:01:02:03     *        wlan0\n" +
        "192.168.4.20     0x1         0x0         00:00:00:00:00:00     *        wlan0\n" +
        "192.168.4.21     0x1         0x6         24:0a:c4:12:34:56     *        wlan0\n" +
        "192.168.4.22     0x1         0x2         not-a-mac             *        wlan0\n";

    [Theory]
    [InlineData("192.168.4.1", "dc:a6:32:01:02:03")]
    [InlineData("192.168.4.21", "24:0a:c4:12:34:56")]
    [InlineData("::ffff:192.168.4.21", "24:0a:c4:12:34:56")]
    [InlineData("192.168.4.20", null)]
    [InlineData("192.168.4.22", null)]
    [InlineData("192.168.4.99", null)]
    [InlineData("fe80::1", null)]
    public void Finds_only_complete_entries(string ip, string? mac) =>
        Assert.Equal(mac, NeighbourTable.Find(Table, IPAddress.Parse(ip)));

    [Fact]
    public void Looks_up_a_client_endpoint_in_a_table_file_and_answers_null_for_what_it_cannot_know()
    {
        using var temp = new TempFolder();
        var path = temp.Sub("arp");
        File.WriteAllText(path, Table);
        var table = new NeighbourTable(path, cacheFor: TimeSpan.Zero);
        Assert.Equal("24:0a:c4:12:34:56", table.LookupMac("192.168.4.21:51514"));
        Assert.Equal("24:0a:c4:12:34:56", table.LookupMac("[::ffff:192.168.4.21]:51514"));
        Assert.Null(table.LookupMac(null));
        Assert.Null(table.LookupMac("not an address"));
        Assert.Null(new NeighbourTable(path + ".missing").LookupMac("192.168.4.21"));
    }

    [Fact]
    public void An_answer_is_reused_for_the_cache_time_then_read_again()
    {
        using var temp = new TempFolder();
        var path = temp.Sub("arp");
        File.WriteAllText(path, Table);
        var clock = new SteppingClock();
        var table = new NeighbourTable(path, TimeSpan.FromSeconds(10), clock);
        Assert.Equal("24:0a:c4:12:34:56", table.LookupMac("192.168.4.21:1"));
        Assert.Null(table.LookupMac("192.168.4.77:1"));

        // The device moved to another radio (or its entry aged out): the cached answers stand until they expire.
        File.WriteAllText(path, Table.Replace("192.168.4.21 ", "192.168.4.77 ", StringComparison.Ordinal));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("24:0a:c4:12:34:56", table.LookupMac("192.168.4.21:1"));
        Assert.Null(table.LookupMac("192.168.4.77:1"));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(table.LookupMac("192.168.4.21:1"));
        Assert.Equal("24:0a:c4:12:34:56", table.LookupMac("192.168.4.77:1"));
    }

    [Fact]
    public void The_kernel_table_of_this_machine_reads_as_its_text_parses_and_ipv6_is_never_looked_up()
    {
        var text = File.ReadAllText(NeighbourTable.DefaultPath);
        var table = new NeighbourTable(cacheFor: TimeSpan.Zero);
        foreach (var line in text.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && IPAddress.TryParse(fields[0], out var ip))
            {
                Assert.Equal(NeighbourTable.Find(text, ip), table.LookupMac(ip + ":1883"));
            }
        }

        // IPv6 is answered without reading the table, even when a table (wrongly) lists the address.
        using var temp = new TempFolder();
        var path = temp.Sub("arp");
        File.WriteAllText(path, Table + "fe80::1  0x1  0x2  24:0a:c4:00:00:01  *  wlan0\n");
        Assert.Equal("24:0a:c4:00:00:01", NeighbourTable.Find(File.ReadAllText(path), IPAddress.Parse("fe80::1")));
        Assert.Null(new NeighbourTable(path).LookupMac("[fe80::1]:1883"));
    }
}

/// <summary>A clock whose timestamps move only when the test says so.</summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ticks = 1;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
