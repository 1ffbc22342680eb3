package io.softmaxservice.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Adds the limits in force to {@code GET /actuator/info}, beside the version and build
 * time, so that a client can size its requests before it sends them.
 */
@Component
class LimitsInfoContributor implements InfoContributor {

	private final SoftmaxProperties properties;

	LimitsInfoContributor(SoftmaxProperties properties) {
		this.properties = properties;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("max_body_bytes", this.properties.limits().maxBodySize().toBytes());
		limits.put("max_elements", this.properties.limits().maxElements());
		limits.put("work_budget_bytes", this.properties.load().workBudget().toBytes());
		limits.put("queue_timeout_ms", this.properties.load().queueTimeout().toMillis());
		limits.put("upload_timeout_ms", this.properties.upload().timeout().toMillis());
		limits.put("upload_min_rate_bytes_per_second", this.properties.upload().minRate().toBytes());
		builder.withDetail("limits", limits);
	}

}
