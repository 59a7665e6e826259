from user.models import train
