using System.Diagnostics;
using System.Text.Json;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests.Groups;

/// <summary>
/// One consumer-group member as a separate process (kafka-python, confluent-kafka or kafkajs),
/// printing JSON lines: its assignment each time it changes and every record it reads. Closing its
/// stdin makes it leave the group; <see cref="Kill"/> makes it vanish without a word.
/// </summary>
public sealed class GroupMemberProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<(int Partition, long Offset, string Value)> _records = [];
    private readonly List<string> _errors = [];
    private IReadOnlyList<int>? _assignment;
    private bool _done;
    private int _assignments;

    private GroupMemberProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public static GroupMemberProcess StartPython(string client, string bootstrap, string topic, string group, string assignor, params string[] options) =>
        Start(InteropPaths.Python, [InteropPaths.Script("groups", "group_member.py"), client, bootstrap, topic, group, assignor, .. options], $"{client}/{assignor}");

    public static GroupMemberProcess StartKafkajs(string bootstrap, string topic, string group) =>
        Start(InteropPaths.Node, [InteropPaths.Script("groups", "kafkajs_member.js"), bootstrap, topic, group], "kafkajs");

    private static GroupMemberProcess Start(string fileName, IEnumerable<string> arguments, string name)
    {
        Process process = ChildProcess.Start(fileName, arguments);
        var member = new GroupMemberProcess(process, name);
        process.OutputDataReceived += (_, line) => member.OnLine(line.Data);
        process.ErrorDataReceived += (_, line) => member.OnError(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return member;
    }

    /// <summary>The partitions it last reported, or null before its first assignment.</summary>
    public IReadOnlyList<int>? Assignment
    {
        get
        {
            lock (_lock)
            {
                return _assignment;
            }
        }
    }

    public List<(int Partition, long Offset, string Value)> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>How many times its assignment changed (a rebalance that leaves it unchanged does not count).</summary>
    public int AssignmentChanges
    {
        get
        {
            lock (_lock)
            {
                return _assignments;
            }
        }
    }

    public bool IsDone
    {
        get
        {
            lock (_lock)
            {
                return _done;
            }
        }
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || line[0] != '{')
        {
            return;
        }
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        lock (_lock)
        {
            switch (root.GetProperty("event").GetString())
            {
                case "assigned":
                    _assignment = [.. root.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32())];
                    _assignments++;
                    break;
                case "record":
                    _records.Add((root.GetProperty("p").GetInt32(), root.GetProperty("o").GetInt64(), root.GetProperty("v").GetString()!));
                    break;
                case "done":
                    _done = true;
                    break;
                default:
                    _errors.Add(line);
                    break;
            }
        }
    }

    private void OnError(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _errors.Add(line);
            }
        }
    }

    /// <summary>What it printed besides records, for failure messages.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return $"{Name}: assignment [{string.Join(',', _assignment ?? [])}], {_records.Count} records, done={_done}, other output: {string.Join(" | ", _errors.TakeLast(10))}";
        }
    }

    /// <summary>Closes stdin: the member leaves the group and exits.</summary>
    public async Task StopAsync()
    {
        _process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>SIGKILL: no LeaveGroup; the coordinator notices only when the session times out.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }
        _process.Dispose();
    }
}
