using Brook.Broker.Cluster;
using Brook.Broker.Transactions;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>ListTransactions (66): ids filtered by state names (unknown names reported back), producer ids and (v1) minimum running time.</summary>
public sealed class ListTransactionsHandler(KafkaBroker broker) : ApiHandler<ListTransactionsRequest>
{
    public override ApiKey Key => ApiKey.ListTransactions;

    public override ApiVersionRange Versions => new(0, 1);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, ListTransactionsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListTransactionsResponse();
        var states = new HashSet<TransactionState>();
        foreach (string name in request.StateFilters)
        {
            if (TransactionStateNames.TryParse(name, out TransactionState state))
            {
                states.Add(state);
            }
            else
            {
                response.UnknownStateFilters.Add(name);
            }
        }
        if (states.Count == 0 && request.StateFilters.Count > 0)
        {
            // Only unknown states asked for: nothing matches.
            return Done(response);
        }
        long duration = context.ApiVersion >= 1 ? request.DurationFilter : -1;
        foreach (TransactionDescription described in broker.Transactions.List(states, new HashSet<long>(request.ProducerIdFilters), duration))
        {
            response.TransactionStates.Add(new ListTransactionsResponse.TransactionStateData
            {
                TransactionalId = described.TransactionalId,
                ProducerId = described.ProducerId,
                TransactionState = described.State.Name(),
            });
        }
        return Done(response);
    }
}
