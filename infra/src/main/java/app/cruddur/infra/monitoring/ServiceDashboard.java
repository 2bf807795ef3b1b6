package app.cruddur.infra.monitoring;

import app.cruddur.infra.projection.StreamProjector;
import app.cruddur.infra.service.MessagesService;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.DashboardProps;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.GraphWidgetProps;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.Stats;
import software.constructs.Construct;

/**
 * The service's levels on one page, {@code <prefix>-service}: how late messages reach open streams and
 * the projection moves the lists, what failed and why, what the limits refused, how many streams are
 * open, and what the load balancer answered. Its lines are the metrics the alarms watch.
 */
public final class ServiceDashboard extends Construct {

    private static final Duration ONE_MINUTE = Duration.minutes(1);
    private static final Duration FIVE_MINUTES = Duration.minutes(5);
    /** The limits as the service names them in its metric (limits/RateLimiter's policies). */
    public static final List<String> LIMITS = List.of("messages", "message_retries", "conversations", "tickets",
            "profile_lookups", "blocks", "read_markers", "message_changes", "typing");

    private final Dashboard dashboard;

    public ServiceDashboard(Construct scope, String id, String prefix, MessagesService service, StreamProjector projector) {
        super(scope, id);
        String loadBalancer = service.loadBalancer().getLoadBalancerFullName();
        dashboard = new Dashboard(this, "Dashboard", DashboardProps.builder()
                .dashboardName(prefix + "-service")
                .defaultInterval(Duration.hours(3))
                .build());
        dashboard.addWidgets(
                graph("Message to open stream: recent maximum (s)",
                        List.of(own(Alarms.DELIVERY_LATENCY_MAX_METRIC, Map.of(), Stats.MAXIMUM, ONE_MINUTE)),
                        Alarms.DELIVERY_LATENCY_SECONDS),
                graph("Projection lag: oldest record's age (ms)",
                        List.of(projector.function().metric("IteratorAge", options(Stats.MAXIMUM, ONE_MINUTE))),
                        Alarms.ITERATOR_AGE_MS));
        dashboard.addWidgets(
                graph("5xx answers by what failed (per 5 min)", Alarms.FAILED_PARTS.stream()
                        .map(part -> (IMetric) own(Alarms.FAILURES_METRIC, Map.of("part", part), Stats.SUM, FIVE_MINUTES)
                                .with(MetricOptions.builder().label(part).build()))
                        .toList(), Alarms.FAILURES_PER_5_MINUTES),
                graph("Rate limits' refusals (429, per 5 min)", LIMITS.stream()
                        .map(limit -> (IMetric) own(Alarms.REFUSALS_METRIC, Map.of("limit", limit), Stats.SUM, FIVE_MINUTES)
                                .with(MetricOptions.builder().label(limit).build()))
                        .toList(), null));
        dashboard.addWidgets(
                graph("Open event streams per task",
                        List.of(own(MessagesService.OPEN_STREAMS_METRIC, Map.of(), Stats.AVERAGE, ONE_MINUTE)), null),
                graph("Load balancer: requests and 5xx (per 5 min)", List.of(
                        elb("RequestCount", loadBalancer), elb("HTTPCode_Target_5XX_Count", loadBalancer),
                        elb("HTTPCode_ELB_5XX_Count", loadBalancer)), null));
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    /** A metric the collector sends for the service (dimension {@code service}, and {@code extra}). */
    private static Metric own(String name, Map<String, String> extra, String statistic, Duration period) {
        Map<String, String> dimensions = new java.util.TreeMap<>(Alarms.SERVICE_DIMENSION);
        dimensions.putAll(extra);
        return Metric.Builder.create().namespace(Alarms.METRIC_NAMESPACE).metricName(name).dimensionsMap(dimensions)
                .statistic(statistic).period(period).build();
    }

    private static Metric elb(String name, String loadBalancer) {
        return Metric.Builder.create().namespace("AWS/ApplicationELB").metricName(name)
                .dimensionsMap(Map.of("LoadBalancer", loadBalancer)).statistic(Stats.SUM).period(FIVE_MINUTES)
                .label(name).build();
    }

    private static MetricOptions options(String statistic, Duration period) {
        return MetricOptions.builder().statistic(statistic).period(period).build();
    }

    /** A graph of {@code metrics}, with the alarm's threshold drawn when there is one. */
    private static IWidget graph(String title, List<IMetric> metrics, Number threshold) {
        GraphWidgetProps.Builder graph = GraphWidgetProps.builder().title(title).left(metrics).width(12).height(6);
        if (threshold != null) {
            graph.leftAnnotations(List.of(HorizontalAnnotation.builder().value(threshold).label("alarm").build()));
        }
        return new GraphWidget(graph.build());
    }
}
